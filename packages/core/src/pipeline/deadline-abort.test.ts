import { describe, expect, it, vi } from 'vitest';
import { ErrorCodes } from '../errors.js';
import { rejection } from '../testing.test-helper.js';
import type { DiscoveryStrategy } from '../types.js';
import { createPipeline, type Pipeline } from './create-pipeline.js';
import {
  closeAfterEach,
  fetchStrategy,
  gate,
  startServer,
  type TestServer,
} from './loopback-server.test-helper.js';
import type { PipelineOptions } from './options.js';

const track = closeAfterEach();
const server = async (...args: Parameters<typeof startServer>): Promise<TestServer> =>
  track(await startServer(...args));
const pipeline = (strategies: DiscoveryStrategy[], options: PipelineOptions = {}): Pipeline =>
  track(createPipeline(strategies, { cache: false, ...options }));

const RESOURCE = 'http://127.0.0.1:9/mcp';

describe('deadline', () => {
  it('fails with DEADLINE_EXCEEDED, aborts the request in flight and carries the trace', async () => {
    const as = await server('127.0.0.2', {
      '/missing': { status: 404 },
      '/slow': { delayMs: 60_000, body: { issuer: 'https://as.example' } },
    });
    const p = pipeline([fetchStrategy('quick', as.url('/missing')), fetchStrategy('slow', as.url('/slow'))], {
      deadlineMs: 300,
      speculate: false,
    });
    const error = await rejection(p.discover(RESOURCE));
    expect(error.code).toBe(ErrorCodes.DEADLINE_EXCEEDED);
    expect(error.message).toContain('300 ms');
    expect(error.trace?.steps.map((s) => [s.strategy, s.outcome, s.errorCode])).toEqual([
      ['quick', 'not-found', undefined],
      ['slow', 'failed', ErrorCodes.DEADLINE_EXCEEDED],
    ]);
    expect(error.trace?.steps[1]?.attempts).toEqual([
      expect.objectContaining({ url: as.url('/slow'), outcome: 'aborted' }),
    ]);
    await vi.waitFor(() => expect(as.closedEarly).toEqual(['/slow']), { timeout: 10_000 });
  });

  it('is not held up by a strategy that ignores its signal', async () => {
    const stuck: DiscoveryStrategy = { name: 'stuck', run: () => new Promise(() => undefined) };
    const error = await rejection(pipeline([stuck], { deadlineMs: 200 }).discover(RESOURCE));
    expect(error.code).toBe(ErrorCodes.DEADLINE_EXCEEDED);
    expect(error.trace?.steps[0]).toMatchObject({
      strategy: 'stuck',
      outcome: 'failed',
      errorCode: 'DEADLINE_EXCEEDED',
    });
  });

  it('aborts speculative requests too, recording them as unused', async () => {
    const as = await server('127.0.0.2', {
      '/slow': { delayMs: 60_000, body: {} },
      '/later': { delayMs: 60_000, body: {} },
    });
    const p = pipeline([fetchStrategy('slow', as.url('/slow')), fetchStrategy('later', as.url('/later'))], {
      deadlineMs: 300,
      speculate: true,
    });
    const error = await rejection(p.discover(RESOURCE));
    expect(error.code).toBe(ErrorCodes.DEADLINE_EXCEEDED);
    expect(error.trace?.unusedSpeculation).toEqual([
      expect.objectContaining({ url: as.url('/later'), outcome: 'aborted', speculative: true }),
    ]);
    await vi.waitFor(() => expect([...as.closedEarly].sort()).toEqual(['/later', '/slow']), {
      timeout: 10_000,
    });
  });
});

describe('leftovers', () => {
  it('aborts a request a strategy started but never awaited once the discovery has its answer', async () => {
    const arrived = gate();
    const as = await server('127.0.0.2', {
      '/forgotten': () => {
        arrived.open();
        return { delayMs: 60_000, body: {} };
      },
      '/meta': { body: { issuer: 'https://as.example' } },
    });
    const careless: DiscoveryStrategy = {
      name: 'careless',
      async run(ctx) {
        void ctx.http.request(as.url('/forgotten')).catch(() => undefined);
        await arrived.promise;
        return { status: 'not-found', reason: 'did not wait' };
      },
    };
    const p = pipeline([careless, fetchStrategy('as', as.url('/meta'), { prefetch: false })], {
      http: { requestTimeoutMs: 120_000 },
    });
    const result = await p.discover(RESOURCE);
    expect(result.authorizationServer.issuer).toBe('https://as.example');
    await vi.waitFor(() => expect(as.closedEarly).toEqual(['/forgotten']), { timeout: 10_000 });
  });
});

describe('caller abort', () => {
  it('fails with ABORTED as soon as the caller aborts, with the trace so far', async () => {
    const controller = new AbortController();
    const as = await server('127.0.0.2', {
      '/hang': () => {
        controller.abort(new Error('user pressed ctrl-c'));
        return { delayMs: 60_000, body: {} };
      },
    });
    const p = pipeline([fetchStrategy('hang', as.url('/hang'))]);
    const error = await rejection(p.discover(RESOURCE, { signal: controller.signal }));
    expect(error.code).toBe(ErrorCodes.ABORTED);
    expect(error.trace?.steps[0]).toMatchObject({
      strategy: 'hang',
      outcome: 'failed',
      errorCode: 'ABORTED',
    });
    expect((error.cause as Error).message).toBe('user pressed ctrl-c');
    await vi.waitFor(() => expect(as.closedEarly).toEqual(['/hang']), { timeout: 10_000 });
  });

  it('fails with ABORTED without a request when the signal is already aborted', async () => {
    const as = await server('127.0.0.2', { '/meta': { body: { issuer: 'https://as.example' } } });
    const p = pipeline([fetchStrategy('as', as.url('/meta'))]);
    const error = await rejection(p.discover(RESOURCE, { signal: AbortSignal.abort() }));
    expect(error.code).toBe(ErrorCodes.ABORTED);
    expect(error.trace?.steps).toEqual([]);
    expect(as.requests).toEqual([]);
  });
});

describe('single flight', () => {
  it('shares one discovery between 10 concurrent calls: one request per URL', async () => {
    const seen = gate();
    const as = await server('127.0.0.2', {
      '/first': { status: 404, until: seen.promise },
      '/meta': () => {
        seen.open();
        return { body: { issuer: 'https://as.example' } };
      },
    });
    const p = pipeline([fetchStrategy('first', as.url('/first')), fetchStrategy('as', as.url('/meta'))]);
    const results = await Promise.all(Array.from({ length: 10 }, () => p.discover(RESOURCE)));
    expect([...as.requests].sort()).toEqual(['GET /first', 'GET /meta']);
    expect(new Set(results).size).toBe(1);
    expect(results[0]?.authorizationServer.issuer).toBe('https://as.example');
  });

  it.each([
    ['a cached', {}],
    ['a noCache', { noCache: true }],
  ] as const)(
    'lets one caller of %s discovery abort its own wait while the shared one goes on',
    async (_, call) => {
      const release = gate();
      const arrived = gate();
      const as = await server('127.0.0.2', {
        '/meta': () => {
          arrived.open();
          return { until: release.promise, body: { issuer: 'https://as.example' } };
        },
      });
      const p = pipeline([fetchStrategy('as', as.url('/meta'))]);
      const leaving = new AbortController();
      const staying = p.discover(RESOURCE, call);
      const left = rejection(p.discover(RESOURCE, { ...call, signal: leaving.signal }));
      await arrived.promise;
      leaving.abort();
      const error = await left;
      expect(error.code).toBe(ErrorCodes.ABORTED);
      expect(error.url).toBe(RESOURCE);
      expect(error.message).toContain(`discover(${RESOURCE}) was aborted`);
      release.open();
      expect((await staying).authorizationServer.issuer).toBe('https://as.example');
      expect(as.requests).toEqual(['GET /meta']);
      expect(as.closedEarly).toEqual([]);
    },
  );
  it('aborts the shared discovery when every caller has aborted, and starts afresh afterwards', async () => {
    const arrived = gate();
    let answer = false;
    const as = await server('127.0.0.2', {
      '/meta': () => {
        arrived.open();
        return answer ? { body: { issuer: 'https://as.example' } } : { delayMs: 60_000, body: {} };
      },
    });
    const p = pipeline([fetchStrategy('as', as.url('/meta'))]);
    const a = new AbortController();
    const b = new AbortController();
    const first = rejection(p.discover(RESOURCE, { signal: a.signal }));
    const second = rejection(p.discover(RESOURCE, { signal: b.signal }));
    await arrived.promise;
    a.abort();
    b.abort();
    const [errorA, errorB] = await Promise.all([first, second]);
    expect(errorA.code).toBe(ErrorCodes.ABORTED);
    expect(errorB.code).toBe(ErrorCodes.ABORTED);
    expect(errorB.trace?.steps[0]).toMatchObject({ outcome: 'failed', errorCode: 'ABORTED' });
    await vi.waitFor(() => expect(as.closedEarly).toEqual(['/meta']), { timeout: 10_000 });
    answer = true;
    const result = await p.discover(RESOURCE);
    expect(result.authorizationServer.issuer).toBe('https://as.example');
    expect(as.requests).toEqual(['GET /meta', 'GET /meta']);
  });
});
