import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it, vi } from 'vitest';
import { createHttpClient } from '../http/client.js';
import type { HttpAttempt } from '../trace/types.js';
import type { DiscoveryResult, DiscoveryStrategy, HttpClient } from '../types.js';
import { createPipeline, type Pipeline } from './create-pipeline.js';
import {
  closeAfterEach,
  fetchStrategy,
  gate,
  startServer,
  type TestServer,
} from './loopback-server.test-helper.js';

const track = closeAfterEach();
const server = async (...args: Parameters<typeof startServer>): Promise<TestServer> =>
  track(await startServer(...args));
const pipeline = (strategies: DiscoveryStrategy[], speculate: boolean): Pipeline =>
  track(createPipeline(strategies, { cache: false, speculate }));

/** The result without what legitimately differs between a speculative and a sequential run. */
function comparable(result: DiscoveryResult): unknown {
  const attempt = (a: HttpAttempt) => ({
    method: a.method,
    url: a.url,
    status: a.status,
    outcome: a.outcome,
  });
  return {
    ...result,
    trace: {
      resource: result.trace.resource,
      relaxations: result.trace.relaxations,
      steps: result.trace.steps.map((s) => ({
        ...s,
        durationMs: 0,
        attempts: s.attempts.map(attempt),
        startMs: 0,
      })),
    },
  };
}

/**
 * Three strategies that each GET one URL on the AS: `first` (not found, 404, answered only once the
 * server has seen the three others when `gated`), `second` (found, slow) and `third` (would also
 * find, fast), then `leftover` whose URL answers only after a minute.
 */
async function world(log: string[], gated: boolean) {
  const seenSecond = gate();
  const seenThird = gate();
  const seenLeftover = gate();
  const as = await server(
    '127.0.0.2',
    {
      '/first': {
        status: 404,
        ...(gated
          ? { until: Promise.all([seenSecond.promise, seenThird.promise, seenLeftover.promise]) }
          : {}),
      },
      '/second': () => {
        seenSecond.open();
        return {
          delayMs: 50,
          body: { issuer: 'https://second.example' },
          headers: { 'cache-control': 'max-age=60' },
        };
      },
      '/third': () => {
        seenThird.open();
        return { body: { issuer: 'https://third.example' } };
      },
      '/leftover': () => {
        seenLeftover.open();
        return { delayMs: 60_000, body: { issuer: 'https://leftover.example' } };
      },
    },
    log,
  );
  const strategies = [
    fetchStrategy('first', as.url('/first'), { log }),
    fetchStrategy('second', as.url('/second'), { log }),
    fetchStrategy('third', as.url('/third'), { log }),
    fetchStrategy('leftover', as.url('/leftover'), { log }),
  ];
  return { as, strategies };
}

describe('speculation', () => {
  it('lets a leftover already on its way land instead of tearing its connection down', async () => {
    const as = await server('127.0.0.2', {
      '/meta': { body: { issuer: 'https://as.example' } },
      // Answered 40 ms after the discovery has its answer: well within the leftovers' grace.
      '/late': { delayMs: 40, body: { issuer: 'https://late.example' } },
    });
    const strategies = [fetchStrategy('meta', as.url('/meta')), fetchStrategy('late', as.url('/late'))];
    const result = await pipeline(strategies, true).discover('http://127.0.0.1:9/mcp');
    expect(result.authorizationServer.issuer).toBe('https://as.example');
    expect(result.trace.unusedSpeculation.map((a) => a.url)).toEqual([as.url('/late')]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Answered in full: no connection closed early (an abort at once would have reset it).
    expect(as.closedEarly).toEqual([]);
    expect([...as.requests].sort()).toEqual(['GET /late', 'GET /meta']);
  });

  it('writes the request a strategy waits for before it even builds the speculative ones', async () => {
    const as = await server('127.0.0.2', {
      '/meta': { delayMs: 30, body: { issuer: 'https://as.example' } },
      '/late': { body: { issuer: 'https://late.example' } },
    });
    const p = pipeline(
      [fetchStrategy('meta', as.url('/meta')), fetchStrategy('late', as.url('/late'))],
      true,
    );
    // A first discovery leaves idle keep-alive connections, whose writes undici defers to the check phase.
    await p.discover('http://127.0.0.1:9/mcp');
    await vi.waitFor(() => expect(as.requests).toEqual(['GET /meta', 'GET /late']));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const seen: string[] = [];
    const created = ({ request }: { request: { path: string } }) => seen.push(`create ${request.path}`);
    const sent = ({ request }: { request: { path: string } }) => seen.push(`sent ${request.path}`);
    subscribe('undici:request:create', created as (message: unknown) => void);
    subscribe('undici:client:sendHeaders', sent as (message: unknown) => void);
    try {
      await p.discover('http://127.0.0.1:9/other');
    } finally {
      unsubscribe('undici:request:create', created as (message: unknown) => void);
      unsubscribe('undici:client:sendHeaders', sent as (message: unknown) => void);
    }
    expect(seen.slice(0, 3)).toEqual(['create /meta', 'sent /meta', 'create /late']);
  });

  it('never sends a request still queued when the discovery ended', async () => {
    const as = await server('127.0.0.2', { '/leftover': { body: {} }, '/queued': { body: {} } });
    // The leftover's answer has arrived, but is handed over only once the discovery has ended: its
    // slot frees after the discovery's end, before the abort of what is left (a turn later).
    const arrived = gate();
    const ended = gate();
    const real = track(createHttpClient({ allowPrivateNetwork: true }));
    const http: HttpClient = {
      async request(url, init) {
        const response = await real.request(url, init);
        if (String(url).endsWith('/leftover')) {
          arrived.open();
          await ended.promise;
        }
        return response;
      },
    };
    const answers: DiscoveryStrategy = {
      name: 'answers',
      contributes: ['authorizationServer'],
      async run() {
        await arrived.promise;
        const found = fetchFound('https://as.example', as.url('/meta'));
        return { status: 'found', contribution: { authorizationServer: found } };
      },
    };
    const p = track(
      createPipeline(
        [answers, fetchStrategy('leftover', as.url('/leftover')), fetchStrategy('queued', as.url('/queued'))],
        {
          cache: false,
          speculate: true,
          maxRequestsInFlight: 1,
          httpClient: http,
          onEvent: (event) => {
            if (event.type === 'discovery-finished') ended.open();
          },
        },
      ),
    );
    const result = await p.discover('http://127.0.0.1:9/mcp');
    expect(result.authorizationServer.issuer).toBe('https://as.example');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(as.requests).toEqual(['GET /leftover']);
  });

  it('starts later strategies’ requests before they run, commits in priority order, aborts a hanging leftover', async () => {
    const log: string[] = [];
    const { as, strategies } = await world(log, true);
    const result = await pipeline(strategies, true).discover('http://127.0.0.1:9/mcp');

    // The server saw /second and /third before `first` had even been answered (it waits for them).
    expect(log.indexOf('server 127.0.0.2 GET /second')).toBeLessThan(log.indexOf('run second'));
    expect(log.indexOf('server 127.0.0.2 GET /third')).toBeLessThan(log.indexOf('run second'));
    expect(log.indexOf('server 127.0.0.2 GET /leftover')).toBeLessThan(log.indexOf('run second'));
    // `third` answered first, but `second` has priority.
    expect(result.authorizationServer.issuer).toBe('https://second.example');
    expect(log.filter((entry) => entry.startsWith('run'))).toEqual(['run first', 'run second']);
    // One network request per URL: the strategy consumed the speculative response.
    expect([...as.requests].sort()).toEqual(['GET /first', 'GET /leftover', 'GET /second', 'GET /third']);
    expect(result.trace.requestCount).toBe(4);
    expect(result.trace.steps[1]?.attempts).toEqual([
      expect.objectContaining({ url: as.url('/second'), status: 200, speculative: true }),
    ]);
    expect(result.trace.steps.map((s) => s.outcome)).toEqual(['not-found', 'found', 'skipped', 'skipped']);
    const unused = Object.fromEntries(result.trace.unusedSpeculation.map((a) => [a.url, a]));
    expect(unused[as.url('/third')]).toMatchObject({ status: 200, outcome: 'ok', speculative: true });
    expect(unused[as.url('/leftover')]).toMatchObject({ outcome: 'aborted', speculative: true });
    expect(Object.keys(unused)).toHaveLength(2);
    // The hanging leftover is really cancelled once its grace is over: the server sees its connection closed.
    await vi.waitFor(() => expect(as.closedEarly).toEqual(['/leftover']), { timeout: 10_000 });
  });

  it('gives the same result as a sequential run (speculate: false), timings aside', async () => {
    const log: string[] = [];
    const speculative = await world(log, false);
    const withSpeculation = await pipeline(speculative.strategies, true).discover('http://127.0.0.1:9/mcp');
    const sequentialLog: string[] = [];
    const sequential = await world(sequentialLog, false);
    const withoutSpeculation = await pipeline(sequential.strategies, false).discover(
      'http://127.0.0.1:9/mcp',
    );

    const normalise = (value: unknown): string =>
      JSON.stringify(value).replaceAll(speculative.as.origin, 'AS').replaceAll(sequential.as.origin, 'AS');
    expect(normalise(comparable(withSpeculation))).toBe(normalise(comparable(withoutSpeculation)));
    expect(withoutSpeculation.trace.unusedSpeculation).toEqual([]);
    expect(sequential.as.requests).toEqual(['GET /first', 'GET /second']);
    expect(withoutSpeculation.trace.requestCount).toBe(2);
  });

  it('never calls prefetch when speculate is false', async () => {
    const calls: string[] = [];
    const as = await server('127.0.0.2', { '/meta': { body: { issuer: 'https://as.example' } } });
    const strategy: DiscoveryStrategy = {
      ...fetchStrategy('as', as.url('/meta')),
      prefetch: () => {
        calls.push('prefetch');
        return [as.url('/meta')];
      },
    };
    await pipeline([strategy], false).discover('http://127.0.0.1:9/mcp');
    expect(calls).toEqual([]);
    await pipeline([strategy], true).discover('http://127.0.0.1:9/mcp');
    expect(calls).toEqual(['prefetch']);
  });

  /**
   * `issuers` names an issuer (after a request of its own when `afterRequest`), `slow` waits until
   * the server has seen the issuer's metadata, `metadata` fetches it: prefetched while `slow` runs.
   */
  async function growingWorld(afterRequest: boolean) {
    const log: string[] = [];
    const seenMeta = gate();
    const as = await server(
      '127.0.0.2',
      {
        '/issuers': { body: {} },
        '/slow': { status: 404, until: seenMeta.promise },
        '/tenant/meta': () => {
          seenMeta.open();
          return { body: { issuer: 'https://as.example/tenant' } };
        },
      },
      log,
    );
    const seenStates: number[] = [];
    const issuersFrom: DiscoveryStrategy = {
      name: 'issuers',
      contributes: ['issuers'],
      async run(ctx) {
        if (afterRequest) await ctx.http.request(as.url('/issuers'));
        return {
          status: 'found',
          contribution: { issuers: [{ issuer: as.url('/tenant'), source: 'issuers' }] },
        };
      },
    };
    const slow = fetchStrategy('slow', as.url('/slow'), { log, prefetch: false });
    const metadata: DiscoveryStrategy = {
      name: 'metadata',
      contributes: ['authorizationServer'],
      prefetch: (state) => {
        seenStates.push(state.issuers.length);
        return state.issuers.map((candidate) => `${candidate.issuer}/meta`);
      },
      async run(ctx) {
        log.push('run metadata');
        const candidate = ctx.state.issuers[0];
        if (candidate === undefined) return { status: 'not-found', reason: 'no issuer' };
        const response = await ctx.http.request(`${candidate.issuer}/meta`);
        const issuer = (response.json as { issuer: string }).issuer;
        return {
          status: 'found',
          contribution: { authorizationServer: { ...fetchFound(issuer, response.url) } },
        };
      },
    };
    const result = await pipeline([issuersFrom, slow, metadata], true).discover('http://127.0.0.1:9/mcp');
    return { as, log, seenStates, result };
  }

  it('asks prefetch again after a commit, with the grown state', async () => {
    const { as, log, seenStates, result } = await growingWorld(true);
    expect(seenStates).toEqual([0, 1]);
    expect(log.indexOf('server 127.0.0.2 GET /tenant/meta')).toBeLessThan(log.indexOf('run metadata'));
    expect([...as.requests].sort()).toEqual(['GET /issuers', 'GET /slow', 'GET /tenant/meta']);
    expect(result.trace.steps[2]?.attempts[0]?.speculative).toBe(true);
    expect(result.trace.unusedSpeculation).toEqual([]);
  });

  it('asks prefetch once for strategies that start in the same turn, with the newest state', async () => {
    const { as, seenStates, result } = await growingWorld(false);
    expect(seenStates).toEqual([1]);
    expect([...as.requests].sort()).toEqual(['GET /slow', 'GET /tenant/meta']);
    expect(result.trace.steps[2]?.attempts[0]?.speculative).toBe(true);
  });

  it('ignores a prefetch that throws or returns garbage', async () => {
    const as = await server('127.0.0.2', { '/meta': { body: { issuer: 'https://as.example' } } });
    const throwing: DiscoveryStrategy = {
      name: 'throwing',
      prefetch: () => {
        throw new Error('bug');
      },
      run: async () => ({ status: 'not-found', reason: 'nothing' }),
    };
    const garbage = {
      name: 'garbage',
      prefetch: () => 'nope',
      run: throwing.run,
    } as unknown as DiscoveryStrategy;
    const invalid: DiscoveryStrategy = {
      name: 'invalid',
      prefetch: () => ['::not a url', 'ftp://x/y'],
      run: throwing.run,
    };
    const result = await pipeline(
      [throwing, garbage, invalid, fetchStrategy('as', as.url('/meta'))],
      true,
    ).discover('http://127.0.0.1:9/mcp');
    expect(result.authorizationServer.issuer).toBe('https://as.example');
    expect(result.trace.requestCount).toBe(1);
  });
});

function fetchFound(issuer: string, metadataUrl: string) {
  return {
    issuer,
    metadataUrl,
    metadata: { issuer },
    issuerCheck: 'exact' as const,
    source: 'metadata',
  };
}
