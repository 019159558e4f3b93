import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, isDiscoveryError } from '../errors.js';
import type { DiscoveryStrategy } from '../types.js';
import { createPipeline } from './create-pipeline.js';
import { closeAfterEach, fetchStrategy, gate, startServer } from './loopback-server.test-helper.js';

// The invariants of the document store's per-discovery views, on real loopback servers.
const track = closeAfterEach();
const ISSUER = 'https://as.example';

describe('the document store seen through per-discovery views', () => {
  it('two discoveries share one request: only the sender counts it, the other sees it cached', async () => {
    const arrived = gate();
    const release = gate();
    const as = track(
      await startServer('127.0.0.2', {
        '/meta': () => {
          arrived.open();
          return { until: release.promise, body: { issuer: ISSUER } };
        },
      }),
    );
    const pipeline = track(createPipeline([fetchStrategy('as', as.url('/meta'))]));
    const first = pipeline.discover('http://127.0.0.1:9/one');
    await arrived.promise;
    const second = pipeline.discover('http://127.0.0.1:9/two');
    release.open();
    const [a, b] = await Promise.all([first, second]);
    expect(as.requests).toEqual(['GET /meta']);
    expect([a.trace.requestCount, b.trace.requestCount]).toEqual([1, 0]);
    expect(a.trace.steps[0]?.attempts[0]?.cached).toBeUndefined();
    expect(b.trace.steps[0]?.attempts[0]).toMatchObject({ url: as.url('/meta'), status: 200, cached: true });
  });

  it("aborting one discovery leaves the other's shared request and result intact", async () => {
    const arrived = gate();
    const release = gate();
    const as = track(
      await startServer('127.0.0.2', {
        '/meta': () => {
          arrived.open();
          return { until: release.promise, body: { issuer: ISSUER } };
        },
      }),
    );
    const joined = gate();
    const pipeline = track(
      createPipeline([fetchStrategy('as', as.url('/meta'))], {
        onEvent: (event) => {
          if (event.type === 'request-started' && event.resource.endsWith('/two')) joined.open();
        },
      }),
    );
    const caller = new AbortController();
    const aborted = pipeline.discover('http://127.0.0.1:9/one', { signal: caller.signal });
    await arrived.promise;
    const kept = pipeline.discover('http://127.0.0.1:9/two');
    await joined.promise;
    await new Promise((resolve) => setImmediate(resolve));
    caller.abort();
    const error = await aborted.catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.ABORTED)).toBe(true);
    release.open();
    const result = await kept;
    expect(result.authorizationServer.issuer).toBe(ISSUER);
    expect(as.closedEarly).toEqual([]);
    expect(as.requests).toEqual(['GET /meta']);
  });

  it("a view never sees another discovery's steps, attempts or unused speculation", async () => {
    const as = track(
      await startServer('127.0.0.2', {
        '/meta': { delayMs: 50, body: { issuer: ISSUER } },
        '/other': { delayMs: 50, body: { issuer: ISSUER } },
        '/spare': { status: 404 },
      }),
    );
    const speculating: DiscoveryStrategy = {
      ...fetchStrategy('one', as.url('/meta')),
      prefetch: () => [as.url('/meta'), as.url('/spare')],
    };
    const one = track(createPipeline([speculating], { speculate: true }));
    const two = track(createPipeline([fetchStrategy('two', as.url('/other'))]));
    // Two pipelines, and two discoveries of one pipeline, in parallel.
    const [a, b, c] = await Promise.all([
      one.discover('http://127.0.0.1:9/a'),
      two.discover('http://127.0.0.1:9/b'),
      two.discover('http://127.0.0.1:9/c'),
    ]);
    expect(a.trace.steps.map((s) => s.strategy)).toEqual(['one']);
    expect(b.trace.steps.map((s) => s.strategy)).toEqual(['two']);
    const urls = (trace: typeof a.trace) => [
      ...trace.steps.flatMap((s) => s.attempts.map((t) => t.url)),
      ...trace.unusedSpeculation.map((t) => t.url),
    ];
    expect(urls(a.trace).sort()).toEqual([as.url('/meta'), as.url('/spare')]);
    expect(urls(b.trace)).toEqual([as.url('/other')]);
    expect(urls(c.trace)).toEqual([as.url('/other')]);
    expect(a.trace.resource).toBe('http://127.0.0.1:9/a');
    expect(b.trace.resource).toBe('http://127.0.0.1:9/b');
  });

  it('holds the fan-out bound: never more than maxRequestsInFlight requests of one discovery at once', async () => {
    let active = 0;
    let most = 0;
    const server = createServer((_request, response) => {
      active += 1;
      most = Math.max(most, active);
      setTimeout(() => {
        active -= 1;
        response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
      }, 30);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    track({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const origin = `http://127.0.0.2:${(server.address() as AddressInfo).port}`;
    const fanOut: DiscoveryStrategy = {
      name: 'fan-out',
      async run(ctx) {
        const urls = Array.from({ length: 12 }, (_, i) => `${origin}/${i}`);
        await Promise.all(urls.map((url) => ctx.http.request(url, { signal: ctx.signal })));
        return { status: 'not-found', reason: 'nothing anywhere' };
      },
    };
    const pipeline = track(createPipeline([fanOut], { maxRequestsInFlight: 3, cache: false }));
    const error = await pipeline.discover('http://127.0.0.1:9/mcp').catch((e: unknown) => e);
    expect(isDiscoveryError(error)).toBe(true);
    expect(most).toBe(3);
    expect(isDiscoveryError(error) ? error.trace?.requestCount : undefined).toBe(12);
  });
});
