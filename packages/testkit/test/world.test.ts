import { Socket } from 'node:net';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { World, WorldSpec } from '../src/index.js';
import { startWorld } from '../src/index.js';
import { eventually, send } from './http.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});
const start = async (spec: WorldSpec): Promise<World> => {
  world = await startWorld(spec);
  return world;
};

describe('startWorld: routes', () => {
  it('serves status, headers, json (value and function), text bodies and content type overrides', async () => {
    const w = await start({
      origins: {
        mcp: {
          routes: {
            '/v1/mcp': { status: 401, headers: { 'www-authenticate': 'Bearer realm="OAuth"' } },
            '/meta': { json: (x) => ({ issuer: x.origin('as'), token_endpoint: x.url('as', '/token') }) },
            '/plain': { json: { a: 1 } },
            '/text': { body: 'hello' },
            '/html': { json: { a: 1 }, contentType: 'text/html' },
            '/header-fn': {
              headers: { 'www-authenticate': (x) => `Bearer resource_metadata="${x.url('as', '/p')}"` },
            },
          },
        },
        as: {},
      },
    });
    const challenge = await send(w.url('mcp', '/v1/mcp'));
    expect(challenge.status).toBe(401);
    expect(challenge.headers['www-authenticate']).toBe('Bearer realm="OAuth"');

    const meta = await send(w.url('mcp', '/meta'));
    expect(meta.status).toBe(200);
    expect(meta.headers['content-type']).toBe('application/json');
    expect(meta.json()).toEqual({ issuer: w.origin('as'), token_endpoint: `${w.origin('as')}/token` });
    expect((await send(w.url('mcp', '/plain'))).json()).toEqual({ a: 1 });

    const text = await send(w.url('mcp', '/text'));
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(text.text).toBe('hello');
    expect((await send(w.url('mcp', '/html'))).headers['content-type']).toBe('text/html');
    expect((await send(w.url('mcp', '/header-fn'))).headers['www-authenticate']).toBe(
      `Bearer resource_metadata="${w.origin('as')}/p"`,
    );
  });

  it('gives each origin its own 127.0.0.x address and a port', async () => {
    const w = await start({ origins: { a: {}, b: {}, c: { host: '127.0.0.42' } } });
    const hosts = ['a', 'b', 'c'].map((name) => new URL(w.origin(name)).hostname);
    expect(new Set(hosts).size).toBe(3);
    expect(hosts[2]).toBe('127.0.0.42');
    for (const name of ['a', 'b', 'c']) expect(w.origin(name)).toMatch(/^http:\/\/127\.0\.0\.\d+:\d+$/);
  });

  it('answers unknown paths with 404 JSON and matches query keys exactly', async () => {
    const w = await start({
      origins: { o: { routes: { '/x?y=1': { json: 'with-query' }, '/x': { json: 'plain' } } } },
    });
    const missing = await send(w.url('o', '/nope'));
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('application/json');
    expect(missing.json()).toEqual({ error: 'not_found' });
    expect((await send(w.url('o', '/x?y=1'))).json()).toBe('with-query');
    expect((await send(w.url('o', '/x?y=2'))).json()).toBe('plain');
    expect((await send(w.url('o', '/x'))).json()).toBe('plain');
  });

  it('answers 405 when the method does not match', async () => {
    const w = await start({
      origins: { o: { routes: { '/get': { method: 'GET', json: 1 }, '/post': { method: 'POST' } } } },
    });
    expect((await send(w.url('o', '/get'))).status).toBe(200);
    const wrong = await send(w.url('o', '/get'), { method: 'POST', body: '{}' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
    expect((await send(w.url('o', '/post'))).status).toBe(405);
    expect((await send(w.url('o', '/post'), { method: 'POST', body: 'x' })).status).toBe(200);
  });

  it('redirects with 302 by default, or the given status, to a computed URL', async () => {
    const w = await start({
      origins: {
        mcp: {
          routes: {
            '/moved': { redirect: (x) => x.url('mcp', '/elsewhere') },
            '/perm': { redirect: '/target', status: 301 },
          },
        },
      },
    });
    const moved = await send(w.url('mcp', '/moved'));
    expect(moved.status).toBe(302);
    expect(moved.headers.location).toBe(`${w.origin('mcp')}/elsewhere`);
    const perm = await send(w.url('mcp', '/perm'));
    expect(perm.status).toBe(301);
    expect(perm.headers.location).toBe('/target');
  });

  it('serves array routes in turn and repeats the last; clearLog restarts the turns', async () => {
    const w = await start({
      origins: { o: { routes: { '/flaky': [{ status: 503 }, { status: 500 }, { json: { ok: true } }] } } },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await send(w.url('o', '/flaky'))).status);
    expect(statuses).toEqual([503, 500, 200, 200]);
    w.clearLog();
    expect(w.requests).toHaveLength(0);
    expect((await send(w.url('o', '/flaky'))).status).toBe(503);
  });

  it('lets a handler answer by itself', async () => {
    const w = await start({
      origins: {
        o: {
          routes: {
            '/h': {
              handler: (req, res, x) => {
                res.writeHead(209, { 'x-origin': x.origin('o'), 'x-method': req.method ?? '' });
                res.end('custom');
              },
            },
          },
        },
      },
    });
    const res = await send(w.url('o', '/h'));
    expect(res.status).toBe(209);
    expect(res.headers['x-origin']).toBe(w.origin('o'));
    expect(res.text).toBe('custom');
  });

  it('answers 500 with the reason when a route function throws', async () => {
    const w = await start({
      origins: {
        o: {
          routes: {
            '/broken': {
              json: () => {
                throw new DiscoveryError(ErrorCodes.INVALID_CONFIG, 'broken route');
              },
            },
          },
        },
      },
    });
    const res = await send(w.url('o', '/broken'));
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ error: 'testkit_route_failed' });
  });
});

describe('startWorld: hostile bodies', () => {
  it('streams a huge valid JSON body of exactly `bytes` bytes without Content-Length', async () => {
    const w = await start({ origins: { o: { routes: { '/huge': { bytes: 3 * 1024 * 1024 + 7 } } } } });
    const res = await send(w.url('o', '/huge'));
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['content-length']).toBeUndefined();
    expect(Buffer.byteLength(res.text)).toBe(3 * 1024 * 1024 + 7);
    expect(JSON.parse(res.text)).toHaveProperty('padding');
  });

  it('serves invalid JSON with a JSON content type for `garbage`', async () => {
    const w = await start({ origins: { o: { routes: { '/g': { garbage: true } } } } });
    const res = await send(w.url('o', '/g'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(() => JSON.parse(res.text)).toThrow(SyntaxError);
  });

  it('sends headers at once and dribbles a slow body in chunks', async () => {
    const w = await start({
      origins: {
        o: {
          routes: {
            '/slow': { json: { issuer: 'x', long: 'y'.repeat(40) }, slowBody: { chunks: 4, intervalMs: 60 } },
          },
        },
      },
    });
    const dispatcher = new Agent();
    try {
      const res = await request(w.url('o', '/slow'), { dispatcher });
      expect(res.statusCode).toBe(200);
      const chunks: string[] = [];
      for await (const chunk of res.body) chunks.push(String(chunk));
      expect(chunks.length).toBeGreaterThanOrEqual(2);
      expect(JSON.parse(chunks.join(''))).toEqual({ issuer: 'x', long: 'y'.repeat(40) });
    } finally {
      await dispatcher.destroy();
    }
  });
});

describe('startWorld: latency, hangs, aborts and close', () => {
  it('applies per-origin latency over the world default (order, not milliseconds)', async () => {
    const w = await start({
      latencyMs: 1_500,
      origins: { slow: { routes: { '/': {} } }, fast: { latencyMs: 0, routes: { '/': {} } } },
    });
    const finished: string[] = [];
    await Promise.all([
      send(w.url('slow', '/')).then(() => finished.push('slow')),
      send(w.url('fast', '/')).then(() => finished.push('fast')),
    ]);
    expect(finished).toEqual(['fast', 'slow']);
  });

  it('logs requests in order with origin, method, path, url, headers and time', async () => {
    const w = await start({ origins: { a: { routes: { '/one': {} } }, b: {} } });
    await send(w.url('a', '/one?q=1'), { headers: { 'x-test': 'yes' } });
    await send(w.url('b', '/two'), { method: 'POST', body: '{}' });
    expect(w.requests.map((r) => [r.origin, r.method, r.path])).toEqual([
      ['a', 'GET', '/one'],
      ['b', 'POST', '/two'],
    ]);
    const [first, second] = w.requests;
    expect(first?.url).toBe(`${w.origin('a')}/one?q=1`);
    expect(first?.headers['x-test']).toBe('yes');
    expect(first?.aborted).toBe(false);
    expect(second!.time).toBeGreaterThanOrEqual(first!.time);
    expect(w.requestsTo('b')).toHaveLength(1);
  });

  it('marks a request aborted when the client gives up during delayMs', async () => {
    const w = await start({ origins: { o: { routes: { '/late': { delayMs: 10_000 } } } } });
    await expect(send(w.url('o', '/late'), { headersTimeout: 100 })).rejects.toThrow();
    await eventually(() => w.requests[0]?.aborted === true);
  });

  it('never answers `hang` routes; an aborting client is logged as aborted', async () => {
    const w = await start({ origins: { o: { routes: { '/hang': { hang: true } } } } });
    const controller = new AbortController();
    const pending = send(w.url('o', '/hang'), { signal: controller.signal });
    await eventually(() => w.requests.length === 1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await eventually(() => w.requests[0]?.aborted === true);
  });

  it('close() resolves with hanging requests and idle keep-alive connections open', async () => {
    const w = await start({ origins: { o: { routes: { '/hang': { hang: true }, '/ok': {} } } } });
    const keepAlive = new Agent({ keepAliveTimeout: 60_000 });
    await (await request(w.url('o', '/ok'), { dispatcher: keepAlive })).body.text();
    const hanging = request(w.url('o', '/hang'), { dispatcher: keepAlive });
    await eventually(() => w.requests.length === 2);
    await w.close();
    await expect(hanging).rejects.toThrow();
    await keepAlive.destroy();
    world = undefined;
    // The port is really closed: a new connection is refused.
    const port = Number(new URL(w.origin('o')).port);
    await expect(
      new Promise((done, fail) => {
        const socket = new Socket();
        socket.once('error', fail);
        socket.connect(port, new URL(w.origin('o')).hostname, () => {
          socket.destroy();
          done('connected');
        });
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects unknown origin names and relative paths with INVALID_CONFIG', async () => {
    const w = await start({ origins: { o: {} } });
    expect(() => w.origin('nope')).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_CONFIG }));
    expect(() => w.url('o', 'relative')).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_CONFIG }),
    );
  });
});
