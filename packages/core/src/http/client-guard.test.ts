import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors.js';
import { rejection as failure } from '../testing.test-helper.js';
import type { LookupFunction } from './client-options.js';
import { clientFactory, serve, type TestServer } from './loopback.test-helper.js';

const client = clientFactory();

/** A resolver for test host names; records every name it was asked for. Never touches real DNS. */
function fakeDns(
  table: Readonly<Record<string, readonly LookupAddress[]>>,
): LookupFunction & { asked: string[] } {
  const asked: string[] = [];
  const lookup: LookupFunction = (hostname, _options, callback) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (addresses === undefined) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    } else {
      callback(null, [...addresses]);
    }
  };
  return Object.assign(lookup, { asked });
}

const v4 = (address: string): LookupAddress => ({ address, family: 4 });

let server: TestServer;
let port = 0;
beforeAll(async () => {
  server = await serve('127.0.0.1', (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"reached":true}');
  });
  port = server.port;
});
afterAll(async () => {
  await server.close();
});

describe('createHttpClient: URL policy before any packet', () => {
  it('refuses http://example.com/ with INSECURE_URL without resolving it', async () => {
    const dns = fakeDns({ 'example.com': [v4('127.0.0.1')] });
    const error = await failure(
      client({ lookup: dns, allowPrivateNetwork: true }).request('http://example.com/'),
    );
    expect(error.code).toBe(ErrorCodes.INSECURE_URL);
    expect(error.url).toBe('http://example.com/');
    expect(error.attempt).toMatchObject({
      url: 'http://example.com/',
      outcome: 'error',
      error: { code: 'INSECURE_URL' },
    });
    expect(dns.asked).toEqual([]);
  });

  it('refuses a relative URL with INVALID_URL', async () => {
    const error = await failure(client().request('/.well-known/oauth-protected-resource'));
    expect(error.code).toBe(ErrorCodes.INVALID_URL);
    expect(error.attempt?.outcome).toBe('error');
  });
});

describe('createHttpClient: SSRF guard on resolved addresses', () => {
  it('refuses a host resolving to loopback with BLOCKED_ADDRESS before TLS, connecting nowhere', async () => {
    const dns = fakeDns({ 'blocked.test': [v4('127.0.0.1')] });
    const before = server.connections;
    const url = `https://blocked.test:${port}/.well-known/oauth-authorization-server`;
    const error = await failure(client({ lookup: dns }).request(url));
    expect(error.code).toBe(ErrorCodes.BLOCKED_ADDRESS);
    expect(error.isSecurityError).toBe(true);
    expect(error.url).toBe(url);
    expect(error.actual).toEqual({ hostname: 'blocked.test', address: '127.0.0.1', range: 'loopback' });
    expect(error.message).toContain('127.0.0.1');
    expect(error.attempt).toMatchObject({ url, outcome: 'error', error: { code: 'BLOCKED_ADDRESS' } });
    expect(dns.asked).toEqual(['blocked.test']);
    expect(server.connections).toBe(before);
  });

  it('refuses when ANY resolved address is blocked, even if the first is allowed', async () => {
    const dns = fakeDns({ 'mixed.test': [v4('127.0.0.1'), v4('0.0.0.0')] });
    const before = server.connections;
    const error = await failure(
      client({ lookup: dns }).request(`https://mixed.test:${port}/`, { allowAddressRanges: ['loopback'] }),
    );
    expect(error.code).toBe(ErrorCodes.BLOCKED_ADDRESS);
    expect(error.actual).toMatchObject({ address: '0.0.0.0', range: 'unspecified' });
    expect(server.connections).toBe(before);
  });

  it('reaches a host name on loopback when the request allows the loopback range', async () => {
    const dns = fakeDns({ 'mcp.localhost': [v4('127.0.0.1')] });
    const response = await client({ lookup: dns }).request(`http://mcp.localhost:${port}/`, {
      allowAddressRanges: ['loopback'],
    });
    expect(response.json).toEqual({ reached: true });
    expect(dns.asked).toEqual(['mcp.localhost']);
  });

  it('accepts a lookup that answers with a single address', async () => {
    const single: LookupFunction = (_hostname, _options, callback) => callback(null, '127.0.0.1', 4);
    const response = await client({ lookup: single, allowAddressRanges: ['loopback'] }).request(
      `http://single.localhost:${port}/`,
    );
    expect(response.status).toBe(200);
  });

  it('refuses plain http: when a *.localhost name resolves off loopback', async () => {
    const dns = fakeDns({ 'evil.localhost': [v4('0.0.0.0')] });
    const before = server.connections;
    const error = await failure(
      client({ lookup: dns, allowPrivateNetwork: true }).request(`http://evil.localhost:${port}/`),
    );
    expect(error.code).toBe(ErrorCodes.INSECURE_URL);
    expect(error.actual).toMatchObject({ address: '0.0.0.0', range: 'unspecified' });
    expect(server.connections).toBe(before);
  });

  it('maps a DNS failure to NETWORK_ERROR', async () => {
    const error = await failure(client({ lookup: fakeDns({}) }).request('https://unknown.test/'));
    expect(error.code).toBe(ErrorCodes.NETWORK_ERROR);
  });
});

describe('createHttpClient: SSRF guard on IP literals', () => {
  it('refuses http://127.0.0.1 by default with BLOCKED_ADDRESS, connecting nowhere', async () => {
    const before = server.connections;
    const url = `http://127.0.0.1:${port}/`;
    const error = await failure(client().request(url));
    expect(error.code).toBe(ErrorCodes.BLOCKED_ADDRESS);
    expect(error.actual).toEqual({ address: '127.0.0.1', range: 'loopback' });
    expect(error.attempt).toMatchObject({ url, outcome: 'error' });
    expect(server.connections).toBe(before);
  });

  it('refuses an IPv4-mapped loopback literal the same way', async () => {
    const error = await failure(client().request(`http://[::ffff:127.0.0.1]:${port}/`));
    expect(error.code).toBe(ErrorCodes.BLOCKED_ADDRESS);
  });

  it('reaches http://127.0.0.1 when the request allows loopback', async () => {
    const response = await client().request(`http://127.0.0.1:${port}/`, {
      allowAddressRanges: ['loopback'],
    });
    expect(response.json).toEqual({ reached: true });
  });

  it('reaches http://127.0.0.1 when the client allows the loopback range', async () => {
    const response = await client({ allowAddressRanges: ['loopback'] }).request(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(200);
  });

  it('reaches http://127.0.0.1 with allowPrivateNetwork', async () => {
    const response = await client({ allowPrivateNetwork: true }).request(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(200);
  });

  it('does not let an allowance for another range through', async () => {
    const error = await failure(
      client().request(`http://127.0.0.1:${port}/`, { allowAddressRanges: ['private', 'linkLocal'] }),
    );
    expect(error.code).toBe(ErrorCodes.BLOCKED_ADDRESS);
  });

  it('keeps one request allowance from leaking into the next request', async () => {
    const shared = client();
    await shared.request(`http://127.0.0.1:${port}/`, { allowAddressRanges: ['loopback'] });
    const error = await failure(shared.request(`http://127.0.0.1:${port}/`));
    expect(error.code).toBe(ErrorCodes.BLOCKED_ADDRESS);
  });

  it('keeps a connection-pool reuse from bypassing the guard for host names', async () => {
    const dns = fakeDns({ 'pool.localhost': [v4('127.0.0.1')] });
    const shared = client({ lookup: dns });
    await shared.request(`http://pool.localhost:${port}/`, { allowAddressRanges: ['loopback'] });
    const error = await failure(shared.request(`http://pool.localhost:${port}/`));
    expect(error.code).toBe(ErrorCodes.BLOCKED_ADDRESS);
  });
});
