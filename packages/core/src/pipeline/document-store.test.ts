import { describe, expect, it, vi } from 'vitest';
import { requestKey } from '../cache/key.js';
import { createMemoryCache } from '../cache/memory-cache.js';
import { DiscoveryError, ErrorCodes } from '../errors.js';
import { createHttpClient } from '../http/client.js';
import type { DiscoveryStrategy, HttpClient } from '../types.js';
import { createPipeline } from './create-pipeline.js';
import { createDocumentStore } from './document-store.js';
import {
  closeAfterEach,
  fetchStrategy,
  gate,
  type RouteSpec,
  startServer,
  type TestServer,
} from './loopback-server.test-helper.js';

const track = closeAfterEach();

const LIFETIMES = { defaultMs: 300_000, maxMs: 86_400_000, missMs: 30_000 };

function storeOver(base: HttpClient) {
  return createDocumentStore({ base, cache: createMemoryCache(), lifetimes: LIFETIMES, now: Date.now });
}

async function metadataServer(headers: Record<string, string> = {}, delayMs = 0) {
  return track(
    await startServer('127.0.0.2', {
      '/meta': { body: { issuer: 'https://as.example' }, headers, delayMs },
      '/missing': { status: 404 },
    }),
  );
}

describe('documents shared between the discoveries of one pipeline', () => {
  it('a hundred resources behind one authorization server cost one metadata request', async () => {
    const as = await metadataServer();
    const strategy: DiscoveryStrategy = fetchStrategy('as', as.url('/meta'));
    const pipeline = track(createPipeline([strategy], { speculate: false }));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => pipeline.discover(`http://127.0.0.1:9/mcp/${i}`)),
    );
    expect(as.requests).toEqual(['GET /meta']);
    expect(results.every((r) => r.authorizationServer.issuer === 'https://as.example')).toBe(true);
    // Exactly one discovery sent the request; the others say theirs was cached.
    const counts = results.map((r) => r.trace.requestCount);
    expect(counts.filter((n) => n === 1)).toHaveLength(1);
    expect(counts.filter((n) => n === 0)).toHaveLength(99);
    const cachedAttempts = results.flatMap((r) => r.trace.steps[0]?.attempts ?? []).filter((a) => a.cached);
    expect(cachedAttempts).toHaveLength(99);
  });

  it('keeps nothing marked no-store, and nothing at all with cache: false', async () => {
    const noStore = await metadataServer({ 'cache-control': 'no-store' });
    const first = track(createPipeline([fetchStrategy('as', noStore.url('/meta'))], { speculate: false }));
    await first.discover('http://127.0.0.1:9/a');
    await first.discover('http://127.0.0.1:9/b');
    expect(noStore.requests).toHaveLength(2);

    const plain = await metadataServer();
    const uncached = track(
      createPipeline([fetchStrategy('as', plain.url('/meta'))], { speculate: false, cache: false }),
    );
    await uncached.discover('http://127.0.0.1:9/a');
    await uncached.discover('http://127.0.0.1:9/b');
    expect(plain.requests).toHaveLength(2);
  });

  it('noCache fetches the document anew', async () => {
    const as = await metadataServer();
    const pipeline = track(createPipeline([fetchStrategy('as', as.url('/meta'))], { speculate: false }));
    await pipeline.discover('http://127.0.0.1:9/a');
    const fresh = await pipeline.discover('http://127.0.0.1:9/b', { noCache: true });
    expect(as.requests).toHaveLength(2);
    expect(fresh.trace.requestCount).toBe(1);
  });

  it('never serves a document fetched under one address policy to a request under another', async () => {
    const as = await metadataServer();
    const http = createHttpClient({ allowPrivateNetwork: true });
    track({ close: () => http.close() });
    const shared = storeOver(http);
    await shared.fetch(as.url('/meta'), { allowAddressRanges: ['loopback'] });
    const again = await shared.fetch(as.url('/meta'), { allowAddressRanges: ['loopback'] });
    expect(again.attempt.cached).toBe(true);
    const other = await shared.fetch(as.url('/meta'), {});
    expect(other.attempt.cached).toBeUndefined();
    expect(as.requests).toHaveLength(2);
  });

  it('keeps 2xx documents and 404s, forgets what a discovery rejected, passes POSTs through', async () => {
    const as = await metadataServer();
    const http = createHttpClient({ allowPrivateNetwork: true });
    track({ close: () => http.close() });
    const shared = storeOver(http);
    await shared.fetch(as.url('/missing'), {});
    expect((await shared.fetch(as.url('/missing'), {})).attempt.cached).toBe(true);
    await shared.fetch(as.url('/meta'), {});
    shared.forget([requestKey(as.url('/meta'))]);
    const again = await shared.fetch(as.url('/meta'), {});
    expect(again.attempt.cached).toBeUndefined();
    await shared.fetch(as.url('/meta'), { method: 'POST', body: '{}', expect: 'any' });
    await shared.fetch(as.url('/meta'), { method: 'POST', body: '{}', expect: 'any' });
    expect(as.requests).toEqual(['GET /missing', 'GET /meta', 'GET /meta', 'POST /meta', 'POST /meta']);
  });

  it('a discovery that stops waiting does not abort the request others still wait for', async () => {
    const as = await metadataServer({}, 150);
    const http = createHttpClient({ allowPrivateNetwork: true });
    track({ close: () => http.close() });
    const shared = storeOver(http);
    const leaving = new AbortController();
    const first = shared.fetch(as.url('/meta'), {}, { signal: leaving.signal });
    const second = shared.fetch(as.url('/meta'), {}, { signal: new AbortController().signal });
    leaving.abort();
    await expect(first).rejects.toMatchObject({ code: 'ABORTED' });
    const response = await second;
    expect(response.status).toBe(200);
    expect(response.attempt.cached).toBe(true);
    expect(as.requests).toEqual(['GET /meta']);
  });
});

describe('speculative leftovers with shared documents', () => {
  it('a leftover is not aborted when its discovery ends: the next discovery gets its document', async () => {
    const answerSecond = gate();
    const as = track(
      await startServer('127.0.0.2', {
        '/first': { body: { issuer: 'https://first.example' } },
        '/second': { body: { issuer: 'https://second.example' }, until: answerSecond.promise },
      }),
    );
    const firstOnlyForA = fetchStrategy('first', as.url('/first'));
    const first: DiscoveryStrategy = {
      ...firstOnlyForA,
      run: (ctx) =>
        ctx.state.resource.endsWith('/a')
          ? firstOnlyForA.run(ctx)
          : Promise.resolve({ status: 'not-found', reason: 'only for /a' }),
    };
    const second = fetchStrategy('second', as.url('/second'));
    const pipeline = track(createPipeline([first, second], { speculate: true }));

    const one = await pipeline.discover('http://127.0.0.1:9/a');
    expect(one.authorizationServer.issuer).toBe('https://first.example');
    expect(one.trace.unusedSpeculation.map((a) => a.url)).toEqual([as.url('/second')]);

    answerSecond.open();
    const two = await pipeline.discover('http://127.0.0.1:9/b');
    expect(two.authorizationServer.issuer).toBe('https://second.example');
    // The request the first discovery left over was finished, not aborted, and served the second.
    expect(two.trace.steps[1]?.attempts[0]).toMatchObject({ url: as.url('/second'), cached: true });
    expect(as.requests.filter((r) => r === 'GET /second')).toHaveLength(1);
  });
});

describe('pipeline.close() with a detached leftover in flight', () => {
  async function leftoverOf(pipeline: ReturnType<typeof createPipeline>, as: TestServer): Promise<void> {
    const one = await pipeline.discover('http://127.0.0.1:9/a');
    expect(one.authorizationServer.issuer).toBe('https://first.example');
    await vi.waitFor(() => expect(as.requests).toContain('GET /second'));
  }

  async function hangingServer(): Promise<TestServer> {
    const never = gate();
    const server = await startServer('127.0.0.2', {
      '/first': { body: { issuer: 'https://first.example' } },
      '/second': { body: { issuer: 'https://second.example' }, until: never.promise },
    });
    return track({ ...server, close: () => server.close().finally(never.open) });
  }

  const strategies = (as: TestServer): DiscoveryStrategy[] => [
    fetchStrategy('first', as.url('/first')),
    fetchStrategy('second', as.url('/second')),
  ];

  it('does not wait for it, and its connection is closed', async () => {
    const as = await hangingServer();
    const pipeline = track(
      createPipeline(strategies(as), {
        speculate: true,
        http: { requestTimeoutMs: 120_000, headersTimeoutMs: 120_000 },
      }),
    );
    await leftoverOf(pipeline, as);
    // Before: close() waited for the leftover until the client's request timeout.
    await pipeline.close();
    await vi.waitFor(() => expect(as.closedEarly).toEqual(['/second']), { timeout: 4_000 });
  }, 8_000);

  it('aborts it when the client is the caller’s (left open)', async () => {
    const as = await hangingServer();
    const http = createHttpClient({
      allowPrivateNetwork: true,
      requestTimeoutMs: 120_000,
      headersTimeoutMs: 120_000,
    });
    track({ close: () => http.close() });
    const pipeline = track(createPipeline(strategies(as), { speculate: true, http }));
    await leftoverOf(pipeline, as);
    await pipeline.close();
    await vi.waitFor(() => expect(as.closedEarly).toEqual(['/second']), { timeout: 4_000 });
    // The caller's client still works.
    expect((await http.request(as.url('/first'))).status).toBe(200);
  });
});

describe('a request that failed for several discoveries', () => {
  it('gives each discovery its own error and trace; only the sender counts it', async () => {
    const answer = gate();
    const as = track(
      await startServer('127.0.0.2', {
        '/meta': { status: 302, headers: { location: 'http://127.0.0.3/meta' }, until: answer.promise },
      }),
    );
    const pipeline = track(createPipeline([fetchStrategy('as', as.url('/meta'))], { speculate: false }));
    const a = pipeline.discover('http://127.0.0.1:9/a').catch((error: unknown) => error);
    const b = pipeline.discover('http://127.0.0.1:9/b').catch((error: unknown) => error);
    await vi.waitFor(() => expect(as.requests).toEqual(['GET /meta']));
    answer.open();
    const [errorA, errorB] = (await Promise.all([a, b])) as DiscoveryError[];
    expect(errorA).toBeInstanceOf(DiscoveryError);
    expect(errorB).toBeInstanceOf(DiscoveryError);
    expect(errorA?.code).toBe(ErrorCodes.CROSS_ORIGIN_REDIRECT);
    expect(errorB?.code).toBe(ErrorCodes.CROSS_ORIGIN_REDIRECT);
    expect(errorA).not.toBe(errorB);
    expect(errorA?.trace?.resource).toBe('http://127.0.0.1:9/a');
    expect(errorB?.trace?.resource).toBe('http://127.0.0.1:9/b');
    const counts = [errorA, errorB].map((e) => e?.trace?.requestCount).sort();
    expect(counts).toEqual([0, 1]);
    const joined = [errorA, errorB].find((e) => e?.trace?.requestCount === 0);
    expect(joined?.trace?.steps[0]?.attempts[0]).toMatchObject({ url: as.url('/meta'), cached: true });
    expect(as.requests).toEqual(['GET /meta']);
  });
});

describe('noCache', () => {
  it('an answer that may not be kept still replaces the document kept before', async () => {
    let current: RouteSpec = {
      body: { issuer: 'https://old.example' },
      headers: { 'cache-control': 'max-age=300' },
    };
    const as = track(await startServer('127.0.0.2', { '/meta': () => current }));
    const pipeline = track(createPipeline([fetchStrategy('as', as.url('/meta'))], { speculate: false }));
    expect((await pipeline.discover('http://127.0.0.1:9/a')).authorizationServer.issuer).toBe(
      'https://old.example',
    );
    current = { body: { issuer: 'https://new.example' }, headers: { 'cache-control': 'no-store' } };
    const fresh = await pipeline.discover('http://127.0.0.1:9/b', { noCache: true });
    expect(fresh.authorizationServer.issuer).toBe('https://new.example');
    const later = await pipeline.discover('http://127.0.0.1:9/c');
    expect(later.authorizationServer.issuer).toBe('https://new.example');
    expect(as.requests).toHaveLength(3);
  });
});
