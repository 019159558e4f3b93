import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../cache/memory-cache.js';
import type { CacheEntry, DiscoveryCache } from '../cache/types.js';
import { DiscoveryError, ErrorCodes } from '../errors.js';
import { rejection } from '../testing.test-helper.js';
import type { DiscoveryStrategy } from '../types.js';
import { createPipeline, type Pipeline } from './create-pipeline.js';
import {
  closeAfterEach,
  fetchStrategy,
  startServer,
  type TestServer,
} from './loopback-server.test-helper.js';
import type { PipelineOptions } from './options.js';

const track = closeAfterEach();

const RESOURCE = 'http://127.0.0.1:9/mcp';

/** An AS whose `/meta` answers with the given headers; `/prm` always 404 (a step that finds nothing). */
async function asServer(headers: Record<string, string> = {}): Promise<TestServer> {
  return track(
    await startServer('127.0.0.2', {
      '/meta': { body: { issuer: 'https://as.example' }, headers },
      '/prm': { status: 404, headers: { 'cache-control': 'no-store' } },
    }),
  );
}

/** A clock the test moves by hand, shared by the pipeline and its memory cache. */
function manualClock(): { now: () => number; advance(ms: number): void } {
  let time = 1_700_000_000_000;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

const pipeline = (strategies: DiscoveryStrategy[], options: PipelineOptions): Pipeline =>
  track(createPipeline(strategies, { speculate: false, ...options }));

describe('result cache', () => {
  it('keeps a result for the smallest max-age of the responses the found step used', async () => {
    const as = await asServer({ 'cache-control': 'public, max-age=60, s-maxage=120' });
    const clock = manualClock();
    const p = pipeline([fetchStrategy('prm', as.url('/prm')), fetchStrategy('as', as.url('/meta'))], {
      now: clock.now,
      cache: createMemoryCache({ now: clock.now }),
    });
    const fresh = await p.discover(RESOURCE);
    expect(fresh.fromCache).toBe(false);
    clock.advance(59_000);
    const cached = await p.discover(RESOURCE);
    expect(cached.fromCache).toBe(true);
    expect(cached.authorizationServer).toEqual(fresh.authorizationServer);
    expect(cached.trace).toEqual(fresh.trace);
    expect(as.requests).toEqual(['GET /prm', 'GET /meta']);
    clock.advance(2_000);
    expect((await p.discover(RESOURCE)).fromCache).toBe(false);
    expect(as.requests).toHaveLength(4);
  });

  it('uses the default TTL without max-age, capped by maxMs', async () => {
    const as = await asServer();
    const clock = manualClock();
    const p = pipeline([fetchStrategy('as', as.url('/meta'))], {
      now: clock.now,
      cacheTtl: { defaultMs: 10_000 },
    });
    await p.discover(RESOURCE);
    clock.advance(9_999);
    expect((await p.discover(RESOURCE)).fromCache).toBe(true);
    clock.advance(2);
    expect((await p.discover(RESOURCE)).fromCache).toBe(false);

    const long = await asServer({ 'cache-control': 'max-age=999999' });
    const capped = pipeline([fetchStrategy('as', long.url('/meta'))], {
      now: clock.now,
      cacheTtl: { maxMs: 5_000 },
    });
    await capped.discover(RESOURCE);
    clock.advance(5_001);
    expect((await capped.discover(RESOURCE)).fromCache).toBe(false);
  });

  it('does not cache a result built from a no-store or no-cache response', async () => {
    for (const directive of ['no-store', 'no-cache']) {
      const as = await asServer({ 'cache-control': directive });
      const p = pipeline([fetchStrategy('as', as.url('/meta'))], {});
      await p.discover(RESOURCE);
      expect((await p.discover(RESOURCE)).fromCache).toBe(false);
      expect(as.requests).toEqual(['GET /meta', 'GET /meta']);
    }
  });

  it('caches a miss (DISCOVERY_FAILED) for missMs and rethrows it with the original trace', async () => {
    const as = await asServer();
    const clock = manualClock();
    const p = pipeline([fetchStrategy('prm', as.url('/prm'))], {
      now: clock.now,
      cacheTtl: { missMs: 1_000 },
    });
    const first = await rejection(p.discover(RESOURCE));
    expect(first.code).toBe(ErrorCodes.DISCOVERY_FAILED);
    const second = await rejection(p.discover(RESOURCE));
    expect(second.code).toBe(ErrorCodes.DISCOVERY_FAILED);
    expect(second.message).toBe(first.message);
    expect(second.trace).toEqual(first.trace);
    expect(as.requests).toEqual(['GET /prm']);
    clock.advance(1_001);
    await rejection(p.discover(RESOURCE));
    expect(as.requests).toEqual(['GET /prm', 'GET /prm']);
  });

  it('does not cache a miss that may be a passing fault (a 5xx, a 429, a refused connection)', async () => {
    for (const status of [503, 429]) {
      const flaky = track(await startServer('127.0.0.2', { '/meta': { status } }));
      const p = pipeline([fetchStrategy('as', flaky.url('/meta'))], {});
      await rejection(p.discover(RESOURCE));
      await rejection(p.discover(RESOURCE));
      expect(flaky.requests).toEqual(['GET /meta', 'GET /meta']);
    }

    const sent: string[] = [];
    const refused = pipeline([fetchStrategy('as', 'http://127.0.0.2:9/meta')], {
      onEvent: (event) => {
        if (event.type === 'request-started') sent.push(event.url);
      },
    });
    const first = await rejection(refused.discover(RESOURCE));
    await rejection(refused.discover(RESOURCE));
    expect(first.trace?.steps[0]?.attempts[0]?.error?.code).toBe(ErrorCodes.NETWORK_ERROR);
    // Asked again, not answered from a cached miss.
    expect(sent).toEqual(['http://127.0.0.2:9/meta', 'http://127.0.0.2:9/meta']);
  });

  it('never caches a security error', async () => {
    let runs = 0;
    const hostile: DiscoveryStrategy = {
      name: 'hostile',
      async run() {
        runs += 1;
        throw new DiscoveryError(ErrorCodes.RESOURCE_MISMATCH, 'PRM names https://other.example', {
          url: RESOURCE,
        });
      },
    };
    const p = pipeline([hostile], {});
    expect((await rejection(p.discover(RESOURCE))).code).toBe(ErrorCodes.RESOURCE_MISMATCH);
    expect((await rejection(p.discover(RESOURCE))).code).toBe(ErrorCodes.RESOURCE_MISMATCH);
    expect(runs).toBe(2);
  });

  it('never caches an abort or a deadline', async () => {
    let runs = 0;
    const stuck: DiscoveryStrategy = {
      name: 'stuck',
      run: () => {
        runs += 1;
        return new Promise(() => undefined);
      },
    };
    const p = pipeline([stuck], { deadlineMs: 50 });
    expect((await rejection(p.discover(RESOURCE))).code).toBe(ErrorCodes.DEADLINE_EXCEEDED);
    expect((await rejection(p.discover(RESOURCE))).code).toBe(ErrorCodes.DEADLINE_EXCEEDED);
    expect(runs).toBe(2);
  });

  it('bypasses the read with noCache, and stores the fresh result', async () => {
    const as = await asServer({ 'cache-control': 'max-age=600' });
    const p = pipeline([fetchStrategy('as', as.url('/meta'))], {});
    await p.discover(RESOURCE);
    const bypassed = await p.discover(RESOURCE, { noCache: true });
    expect(bypassed.fromCache).toBe(false);
    expect(as.requests).toHaveLength(2);
    expect((await p.discover(RESOURCE)).fromCache).toBe(true);
    expect(as.requests).toHaveLength(2);
  });

  it('keys on the challenge: a new challenge is not answered from a result found without it', async () => {
    const as = await asServer({ 'cache-control': 'max-age=600' });
    const p = pipeline([fetchStrategy('as', as.url('/meta'))], {});
    await p.discover(RESOURCE);
    const stepUp = 'Bearer error="insufficient_scope", scope="admin"';
    const withChallenge = await p.discover(RESOURCE, { challenge: stepUp, challengeStatus: 403 });
    expect(withChallenge.fromCache).toBe(false);
    // The discovery ran again; its document came from the pipeline's shared documents.
    expect(withChallenge.trace.steps[0]?.attempts[0]?.cached).toBe(true);
    expect(withChallenge.trace.requestCount).toBe(0);
    expect((await p.discover(RESOURCE, { challenge: stepUp, challengeStatus: 403 })).fromCache).toBe(true);
    expect((await p.discover(`${RESOURCE}#fragment`)).fromCache).toBe(true);
    expect(as.requests).toHaveLength(1);
  });

  it('caches nothing with cache: false', async () => {
    const as = await asServer({ 'cache-control': 'max-age=600' });
    const p = pipeline([fetchStrategy('as', as.url('/meta'))], { cache: false });
    await p.discover(RESOURCE);
    expect((await p.discover(RESOURCE)).fromCache).toBe(false);
  });

  it('goes on when a shared store fails, and skips entries it returns expired', async () => {
    const as = await asServer({ 'cache-control': 'max-age=600' });
    const broken: DiscoveryCache = {
      get: async () => {
        throw new Error('redis down');
      },
      set: async () => {
        throw new Error('redis down');
      },
      delete: async () => undefined,
    };
    const p = pipeline([fetchStrategy('as', as.url('/meta'))], { cache: broken });
    expect((await p.discover(RESOURCE)).fromCache).toBe(false);

    const garbage = [{ expiresAt: Number.MAX_SAFE_INTEGER }, { value: { ok: true } }, 'nonsense', null];
    for (const answer of garbage) {
      const odd = {
        get: () => answer,
        set: () => {
          throw new Error('read-only');
        },
        delete: async () => undefined,
      } as unknown as DiscoveryCache;
      const r = pipeline([fetchStrategy('as', as.url('/meta'))], { cache: odd });
      expect((await r.discover(RESOURCE)).fromCache).toBe(false);
    }
    const throwing = {
      get: () => {
        throw new Error('sync failure');
      },
      set: async () => undefined,
      delete: async () => undefined,
    } as unknown as DiscoveryCache;
    const t = pipeline([fetchStrategy('as', as.url('/meta'))], { cache: throwing });
    expect((await t.discover(RESOURCE)).fromCache).toBe(false);

    const stale: CacheEntry = { expiresAt: 0, value: { ok: true, result: await p.discover(RESOURCE) } };
    const lenient: DiscoveryCache = {
      get: async () => stale,
      set: async () => undefined,
      delete: async () => undefined,
    };
    const q = pipeline([fetchStrategy('as', as.url('/meta'))], { cache: lenient });
    expect((await q.discover(RESOURCE)).fromCache).toBe(false);
  });

  it('reports fromCache in the discovery-finished event', async () => {
    const as = await asServer({ 'cache-control': 'max-age=600' });
    const finished: boolean[] = [];
    const p = pipeline([fetchStrategy('as', as.url('/meta'))], {
      onEvent: (event) => {
        if (event.type === 'discovery-finished') finished.push(event.fromCache);
      },
    });
    await p.discover(RESOURCE);
    await p.discover(RESOURCE);
    expect(finished).toEqual([false, true]);
  });
});
