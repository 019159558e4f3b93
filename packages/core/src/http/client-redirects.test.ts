import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors.js';
import { rejection as failure } from '../testing.test-helper.js';
import type { LookupFunction } from './client-options.js';
import { clientFactory, serve, type TestServer } from './loopback.test-helper.js';

const client = clientFactory({ allowAddressRanges: ['loopback'] });

function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location, 'content-type': 'text/html' });
  res.end(`<a href="${location}">moved</a>`);
}

function json(res: ServerResponse, value: unknown): void {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(value));
}

let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  b = await serve('127.0.0.2', (req, res) =>
    json(res, { on: 'b', authorization: req.headers.authorization ?? null }),
  );
  a = await serve('127.0.0.1', (req, res, body) => {
    const path = req.url ?? '/';
    const status = Number(/^\/status\/(\d+)/.exec(path)?.[1]);
    if (path === '/start') redirect(res, 302, '/target');
    else if (path === '/absolute') redirect(res, 301, `${a.origin}/target`);
    else if (path === '/target') json(res, { on: 'a', method: req.method, body });
    else if (!Number.isNaN(status)) redirect(res, status, '/target');
    else if (path === '/cross') redirect(res, 302, `${b.origin}/doc`);
    else if (path === '/loop-a') redirect(res, 302, '/loop-b');
    else if (path === '/loop-b') redirect(res, 302, '/loop-a#fragment');
    else if (path.startsWith('/chain/')) {
      const n = Number(path.slice('/chain/'.length));
      if (n === 0) json(res, { end: true });
      else redirect(res, 302, `/chain/${n - 1}`);
    } else if (path === '/to-http') redirect(res, 302, 'http://example.com/metadata');
    else if (path === '/to-file') redirect(res, 302, 'file:///etc/passwd');
    else if (path === '/to-garbage') redirect(res, 302, 'http://[oops');
    else if (path === '/to-unspecified') redirect(res, 302, 'https://0.0.0.0/metadata');
    else if (path === '/to-rebound') redirect(res, 302, 'http://rebound.localhost/metadata');
    else if (path === '/no-location') {
      res.writeHead(302);
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

describe('createHttpClient: redirects', () => {
  it('follows a same-origin redirect and records it', async () => {
    const response = await client().request(`${a.origin}/start`);
    expect(response.url).toBe(`${a.origin}/target`);
    expect(response.json).toMatchObject({ on: 'a', method: 'GET' });
    expect(response.attempt).toMatchObject({
      url: `${a.origin}/start`,
      status: 200,
      outcome: 'ok',
      redirects: [`${a.origin}/target`],
    });
  });

  it('follows an absolute Location', async () => {
    const response = await client().request(`${a.origin}/absolute`);
    expect(response.url).toBe(`${a.origin}/target`);
  });

  it.each([301, 302, 303])('turns a POST into a GET without body on %i', async (status) => {
    const response = await client().request(`${a.origin}/status/${status}`, {
      method: 'POST',
      body: '{"x":1}',
    });
    expect(response.json).toMatchObject({ method: 'GET', body: '' });
  });

  it.each([307, 308])('keeps the method and body on %i', async (status) => {
    const response = await client().request(`${a.origin}/status/${status}`, {
      method: 'POST',
      body: '{"x":1}',
    });
    expect(response.json).toMatchObject({ method: 'POST', body: '{"x":1}' });
  });

  it('resolves a redirect status without Location as a response', async () => {
    const response = await client().request(`${a.origin}/no-location`);
    expect(response.status).toBe(302);
    expect(response.attempt.outcome).toBe('http-error');
  });

  it('refuses a cross-origin redirect (127.0.0.1 → 127.0.0.2) with CROSS_ORIGIN_REDIRECT, sending nothing there', async () => {
    const before = b.requests.length;
    const error = await failure(client().request(`${a.origin}/cross`));
    expect(error.code).toBe(ErrorCodes.CROSS_ORIGIN_REDIRECT);
    expect(error.isSecurityError).toBe(true);
    expect(error.actual).toBe(`${b.origin}/doc`);
    expect(error.attempt).toMatchObject({ url: `${a.origin}/cross`, status: 302, outcome: 'error' });
    expect(b.requests.length).toBe(before);
  });

  it('follows a cross-origin redirect when allowed, dropping the Authorization header', async () => {
    const response = await client({ allowCrossOriginRedirects: true }).request(`${a.origin}/cross`, {
      headers: { Authorization: 'Bearer secret' },
    });
    expect(response.url).toBe(`${b.origin}/doc`);
    expect(response.json).toEqual({ on: 'b', authorization: null });
  });

  it('stops a redirect loop at once with TOO_MANY_REDIRECTS naming the loop', async () => {
    const before = a.requests.length;
    const error = await failure(client({ maxRedirects: 10 }).request(`${a.origin}/loop-a`));
    expect(error.code).toBe(ErrorCodes.TOO_MANY_REDIRECTS);
    expect(error.message).toContain('loop');
    expect(error.message).toContain(`${a.origin}/loop-a → ${a.origin}/loop-b → ${a.origin}/loop-a`);
    expect(a.requests.length - before).toBe(2);
    expect(error.attempt?.redirects).toEqual([`${a.origin}/loop-b`]);
  });

  it('allows exactly maxRedirects redirects', async () => {
    const response = await client({ maxRedirects: 3 }).request(`${a.origin}/chain/3`);
    expect(response.json).toEqual({ end: true });
    expect(response.attempt.redirects).toHaveLength(3);
  });

  it('fails with TOO_MANY_REDIRECTS past maxRedirects', async () => {
    const before = a.requests.length;
    const error = await failure(client({ maxRedirects: 3 }).request(`${a.origin}/chain/4`));
    expect(error.code).toBe(ErrorCodes.TOO_MANY_REDIRECTS);
    expect(a.requests.length - before).toBe(4);
    expect(error.attempt?.redirects).toHaveLength(3);
  });

  it('follows no redirect with maxRedirects: 0', async () => {
    const error = await failure(client({ maxRedirects: 0 }).request(`${a.origin}/start`));
    expect(error.code).toBe(ErrorCodes.TOO_MANY_REDIRECTS);
  });

  it.each([
    ['/to-http', ErrorCodes.INSECURE_URL],
    ['/to-file', ErrorCodes.INSECURE_URL],
    ['/to-garbage', ErrorCodes.INVALID_URL],
  ])('re-checks the redirect target of %s (%s)', async (path, code) => {
    const error = await failure(client({ allowCrossOriginRedirects: true }).request(`${a.origin}${path}`));
    expect(error.code).toBe(code);
  });

  it('runs the SSRF guard on an IP-literal redirect target (https://0.0.0.0) with BLOCKED_ADDRESS', async () => {
    const error = await failure(
      client({ allowCrossOriginRedirects: true }).request(`${a.origin}/to-unspecified`),
    );
    expect(error.code).toBe(ErrorCodes.BLOCKED_ADDRESS);
    expect(error.actual).toEqual({ address: '0.0.0.0', range: 'unspecified' });
    expect(error.attempt?.redirects).toEqual(['https://0.0.0.0/metadata']);
  });

  it('runs the SSRF guard on the resolved address of a redirect target host name', async () => {
    const asked: string[] = [];
    const lookup: LookupFunction = (hostname, _options, callback) => {
      asked.push(hostname);
      callback(null, [{ address: '0.0.0.0', family: 4 }]);
    };
    const error = await failure(
      client({ allowCrossOriginRedirects: true, lookup }).request(`${a.origin}/to-rebound`),
    );
    expect(error.code).toBe(ErrorCodes.BLOCKED_ADDRESS);
    expect(error.actual).toMatchObject({ hostname: 'rebound.localhost', address: '0.0.0.0' });
    expect(asked).toEqual(['rebound.localhost']);
  });
});
