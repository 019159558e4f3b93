import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscoveryError, ErrorCodes } from '../errors.js';
import { rejection as failure } from '../testing.test-helper.js';
import { createHttpClient } from './client.js';
import {
  DEFAULT_MCP_PROTOCOL_VERSION,
  DEFAULT_USER_AGENT,
  type HttpClientOptions,
} from './client-options.js';
import { clientFactory, serve, type TestServer } from './loopback.test-helper.js';

const client = clientFactory({ allowAddressRanges: ['loopback'] });

const hold = new Set<() => void>();
let server: TestServer;
beforeAll(async () => {
  server = await serve('127.0.0.1', (req, res, body) => {
    const path = req.url ?? '/';
    if (path === '/json') {
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end('{"issuer":"https://as.example","n":1}');
    } else if (path === '/problem') {
      res.setHeader('content-type', 'Application/Problem+JSON ; charset=utf-8');
      res.end('\uFEFF{"ok":true}');
    } else if (path === '/echo') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, headers: req.headers, body }));
    } else if (path === '/multi') {
      res.setHeader('content-type', 'application/json');
      res.setHeader('WWW-Authenticate', ['Bearer realm="a"', 'DPoP algs="ES256"']);
      res.setHeader('X-Custom', 'yes');
      res.end('{}');
    } else if (path === '/missing') {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>not here</h1>');
    } else if (path === '/big-404') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('x'.repeat(5000));
    } else if (path === '/html') {
      res.setHeader('content-type', 'text/html');
      res.end('<html></html>');
    } else if (path === '/no-type') {
      res.end('{}');
    } else if (path === '/text-json') {
      res.setHeader('content-type', 'text/json');
      res.end('{}');
    } else if (path === '/bad-json') {
      res.setHeader('content-type', 'application/json');
      res.end('{"issuer": ');
    } else if (path === '/plain') {
      res.setHeader('content-type', 'text/plain');
      res.end('hello');
    } else if (path === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: message\ndata: {"jsonrpc":"2.0"}\n\n');
      // Never ends: the client must stop after the first event.
    } else if (path.startsWith('/sized/')) {
      const size = Number(path.slice('/sized/'.length));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(size + 2) });
      res.end(`"${'a'.repeat(size)}"`);
    } else if (path === '/endless') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write('a'.repeat(512)), 5);
      res.on('close', () => clearInterval(timer));
    } else if (path === '/no-answer') {
      hold.add(() => res.destroy());
    } else if (path === '/stall-body') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
      hold.add(() => res.destroy());
    } else if (path === '/drip') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    } else if (path === '/reset') {
      req.socket.destroy();
    } else {
      res.writeHead(500);
      res.end();
    }
  });
});
afterAll(async () => {
  for (const release of hold) release();
  await server.close();
});

describe('createHttpClient: responses', () => {
  it('fetches JSON and records an ok attempt', async () => {
    const url = `${server.origin}/json`;
    const response = await client().request(url);
    expect(response.status).toBe(200);
    expect(response.url).toBe(url);
    expect(response.json).toEqual({ issuer: 'https://as.example', n: 1 });
    expect(response.text).toBe('{"issuer":"https://as.example","n":1}');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.attempt).toMatchObject({ method: 'GET', url, status: 200, outcome: 'ok' });
    expect(response.attempt.durationMs).toBeGreaterThanOrEqual(0);
    expect(response.attempt.redirects).toBeUndefined();
    expect(response.attempt.error).toBeUndefined();
  });

  it('accepts application/*+json with parameters and drops a byte order mark', async () => {
    const response = await client().request(`${server.origin}/problem`);
    expect(response.json).toEqual({ ok: true });
  });

  it('resolves a 404 without parsing, keeping the text', async () => {
    const response = await client().request(`${server.origin}/missing`);
    expect(response.status).toBe(404);
    expect(response.text).toBe('<h1>not here</h1>');
    expect(response.json).toBeUndefined();
    expect(response.attempt).toMatchObject({ status: 404, outcome: 'http-error' });
  });

  it('truncates a non-2xx body at the cap instead of failing', async () => {
    const response = await client({ maxBodyBytes: 1000 }).request(`${server.origin}/big-404`);
    expect(response.status).toBe(404);
    expect(response.text).toBe('x'.repeat(1000));
  });

  it('lower-cases response header names and joins repeated ones', async () => {
    const response = await client().request(`${server.origin}/multi`);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="a", DPoP algs="ES256"');
    expect(response.headers['x-custom']).toBe('yes');
    expect(Object.keys(response.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('reads any content type as text with expect: any', async () => {
    const response = await client().request(`${server.origin}/plain`, { expect: 'any' });
    expect(response.text).toBe('hello');
    expect(response.json).toBeUndefined();
    expect(response.attempt.outcome).toBe('ok');
  });

  it('stops reading an event stream after the first event', async () => {
    const response = await client({ bodyTimeoutMs: 60_000, requestTimeoutMs: 60_000 }).request(
      `${server.origin}/sse`,
      { expect: 'any' },
    );
    expect(response.text).toBe('event: message\ndata: {"jsonrpc":"2.0"}\n\n');
  });
});

describe('createHttpClient: request headers', () => {
  it('sends Accept, User-Agent and MCP-Protocol-Version by default', async () => {
    const { json } = await client().request(`${server.origin}/echo`);
    const echoed = json as { method: string; headers: Record<string, string> };
    expect(echoed.method).toBe('GET');
    expect(echoed.headers.accept).toBe('application/json');
    expect(echoed.headers['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(echoed.headers['mcp-protocol-version']).toBe(DEFAULT_MCP_PROTOCOL_VERSION);
  });

  it('accepts event streams with expect: any, and lets caller headers override', async () => {
    const { text } = await client({ userAgent: 'test-agent/1', mcpProtocolVersion: null }).request(
      `${server.origin}/echo`,
      { expect: 'any', headers: { 'X-Trace': 'abc', 'MCP-Protocol-Version': '2025-06-18' } },
    );
    const echoed = JSON.parse(text) as { headers: Record<string, string> };
    expect(echoed.headers.accept).toBe('application/json, text/event-stream');
    expect(echoed.headers['user-agent']).toBe('test-agent/1');
    expect(echoed.headers['x-trace']).toBe('abc');
    expect(echoed.headers['mcp-protocol-version']).toBe('2025-06-18');
  });

  it('omits MCP-Protocol-Version when configured with null', async () => {
    const { json } = await client({ mcpProtocolVersion: null }).request(`${server.origin}/echo`);
    expect((json as { headers: Record<string, string> }).headers['mcp-protocol-version']).toBeUndefined();
  });

  it('POSTs a body, defaulting its content type to JSON', async () => {
    const body = '{"jsonrpc":"2.0","method":"initialize","id":1}';
    const response = await client().request(`${server.origin}/echo`, { method: 'POST', body });
    const echoed = response.json as { method: string; body: string; headers: Record<string, string> };
    expect(echoed).toMatchObject({ method: 'POST', body });
    expect(echoed.headers['content-type']).toBe('application/json');
    expect(response.attempt.method).toBe('POST');
  });
});

describe('createHttpClient: bad bodies', () => {
  it.each(['/html', '/no-type', '/text-json'])(
    'refuses a 2xx %s with UNEXPECTED_CONTENT_TYPE',
    async (path) => {
      const url = `${server.origin}${path}`;
      const error = await failure(client().request(url));
      expect(error.code).toBe(ErrorCodes.UNEXPECTED_CONTENT_TYPE);
      expect(error.url).toBe(url);
      expect(error.attempt).toMatchObject({
        url,
        status: 200,
        outcome: 'error',
        error: { code: 'UNEXPECTED_CONTENT_TYPE' },
      });
    },
  );

  it('refuses a body that does not parse with INVALID_JSON', async () => {
    const error = await failure(client().request(`${server.origin}/bad-json`));
    expect(error.code).toBe(ErrorCodes.INVALID_JSON);
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.attempt).toMatchObject({ status: 200, outcome: 'error' });
  });

  it('accepts a body of exactly the cap', async () => {
    const response = await client({ maxBodyBytes: 1000 }).request(`${server.origin}/sized/998`);
    expect(response.text).toHaveLength(1000);
  });

  it('refuses a content-length over the cap with RESPONSE_TOO_LARGE', async () => {
    const error = await failure(client({ maxBodyBytes: 1000 }).request(`${server.origin}/sized/999`));
    expect(error.code).toBe(ErrorCodes.RESPONSE_TOO_LARGE);
    expect(error.actual).toBe('content-length 1001');
  });

  it('stops an endless chunked body at the cap with RESPONSE_TOO_LARGE', async () => {
    const error = await failure(client({ maxBodyBytes: 4096 }).request(`${server.origin}/endless`));
    expect(error.code).toBe(ErrorCodes.RESPONSE_TOO_LARGE);
    expect(error.attempt).toMatchObject({
      status: 200,
      outcome: 'error',
      error: { code: 'RESPONSE_TOO_LARGE' },
    });
  });
});

describe('createHttpClient: timeouts and network errors', () => {
  it('fails with TIMEOUT when the headers never come', async () => {
    const error = await failure(client({ headersTimeoutMs: 300 }).request(`${server.origin}/no-answer`));
    expect(error.code).toBe(ErrorCodes.TIMEOUT);
    expect(error.message).toMatch(/response headers/);
    expect(error.attempt).toMatchObject({ outcome: 'error' });
    expect(error.attempt?.status).toBeUndefined();
  });

  it('fails with TIMEOUT when the body stalls', async () => {
    const error = await failure(client({ bodyTimeoutMs: 300 }).request(`${server.origin}/stall-body`));
    expect(error.code).toBe(ErrorCodes.TIMEOUT);
    expect(error.message).toMatch(/response body/);
    expect(error.attempt?.status).toBe(200);
  });

  it('fails with TIMEOUT when connecting takes too long (a lookup that never answers)', async () => {
    const error = await failure(
      client({ connectTimeoutMs: 300, lookup: () => {} }).request('https://never-resolves.test/'),
    );
    expect(error.code).toBe(ErrorCodes.TIMEOUT);
    expect(error.message).toMatch(/Connecting/);
  });

  it('fails with TIMEOUT when the whole request outlives requestTimeoutMs', async () => {
    const error = await failure(client({ requestTimeoutMs: 500 }).request(`${server.origin}/drip`));
    expect(error.code).toBe(ErrorCodes.TIMEOUT);
    expect(error.message).toMatch(/timed out after 500 ms/);
  });

  it('fails with NETWORK_ERROR when the connection is refused', async () => {
    const closed = await serve('127.0.0.1', () => {});
    await closed.close();
    const error = await failure(client().request(`${closed.origin}/`));
    expect(error.code).toBe(ErrorCodes.NETWORK_ERROR);
    expect(error.message).toMatch(/refused/);
  });

  it('fails with NETWORK_ERROR when the server drops the connection', async () => {
    const error = await failure(client().request(`${server.origin}/reset`));
    expect(error.code).toBe(ErrorCodes.NETWORK_ERROR);
  });

  it('fails with NETWORK_ERROR when DNS finds nothing', async () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
    const error = await failure(
      client({ lookup: (_host, _options, callback) => callback(notFound, []) }).request(
        'https://nowhere.test/',
      ),
    );
    expect(error.code).toBe(ErrorCodes.NETWORK_ERROR);
    expect(error.message).toMatch(/host not found/);
  });
});

describe('createHttpClient: abort', () => {
  it('fails with ABORTED when the caller aborts mid-request', async () => {
    const controller = new AbortController();
    const before = server.requests.length;
    const pending = client().request(`${server.origin}/no-answer`, { signal: controller.signal });
    while (server.requests.length === before) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    const error = await failure(pending);
    expect(error.code).toBe(ErrorCodes.ABORTED);
    expect(error.attempt).toMatchObject({ outcome: 'aborted', error: { code: 'ABORTED' } });
  });

  it('sends nothing when the signal is already aborted', async () => {
    const before = server.requests.length;
    const error = await failure(client().request(`${server.origin}/json`, { signal: AbortSignal.abort() }));
    expect(error.code).toBe(ErrorCodes.ABORTED);
    expect(server.requests.length).toBe(before);
  });

  it('keeps the code of a DiscoveryError abort reason (the runner deadline)', async () => {
    const reason = new DiscoveryError(ErrorCodes.DEADLINE_EXCEEDED, 'Discovery deadline of 10 ms exceeded');
    const controller = new AbortController();
    const pending = client().request(`${server.origin}/no-answer`, { signal: controller.signal });
    controller.abort(reason);
    const error = await failure(pending);
    expect(error.code).toBe(ErrorCodes.DEADLINE_EXCEEDED);
    expect(error.message).toBe(reason.message);
    expect(error.cause).toBe(reason);
    expect(error.attempt).toMatchObject({ outcome: 'aborted', error: { code: 'DEADLINE_EXCEEDED' } });
    expect(reason.attempt).toBeUndefined();
  });
});

describe('createHttpClient: options', () => {
  it('exposes the resolved options with safe defaults', () => {
    const { options } = createHttpClient();
    expect(options).toMatchObject({
      connectTimeoutMs: 5000,
      headersTimeoutMs: 10000,
      bodyTimeoutMs: 10000,
      requestTimeoutMs: 15000,
      maxBodyBytes: 1024 * 1024,
      maxRedirects: 3,
      allowCrossOriginRedirects: false,
      allowPrivateNetwork: false,
      allowAddressRanges: [],
      userAgent: DEFAULT_USER_AGENT,
      mcpProtocolVersion: '2025-11-25',
    });
  });

  it.each([
    { maxBodyBytes: 0 },
    { maxRedirects: -1 },
    { connectTimeoutMs: 1.5 },
    { requestTimeoutMs: Number.NaN },
  ] satisfies HttpClientOptions[])('refuses %j with INVALID_CONFIG', (options) => {
    expect(() => createHttpClient(options)).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_CONFIG }),
    );
  });

  it('refuses an unknown address range with INVALID_CONFIG', async () => {
    const bad = ['intranet'] as unknown as HttpClientOptions['allowAddressRanges'];
    expect(() => createHttpClient({ allowAddressRanges: bad ?? [] })).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_CONFIG }),
    );
    const error = await failure(client().request(`${server.origin}/json`, { allowAddressRanges: bad ?? [] }));
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
  });

  it('refuses requests after close()', async () => {
    const closing = client();
    await closing.close();
    const error = await failure(closing.request(`${server.origin}/json`));
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
  });
});
