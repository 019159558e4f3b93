import { describe, expect, it } from 'vitest';
import { createRequestLimiter } from './request-limiter.js';

function deferred(): { promise: Promise<string>; resolve: (value: string) => void } {
  let resolve!: (value: string) => void;
  const promise = new Promise<string>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('request limiter', () => {
  it('keeps at most max in flight, and urgent requests go ahead of queued speculative ones', async () => {
    const limiter = createRequestLimiter(1);
    const signal = new AbortController().signal;
    const started: string[] = [];
    const first = deferred();
    const run = (name: string, urgent: boolean, gate?: Promise<string>) =>
      limiter.schedule(
        urgent,
        () => {
          started.push(name);
          return gate ?? Promise.resolve(name);
        },
        signal,
        () => new Error('aborted'),
      );
    const a = run('a', false, first.promise);
    const b = run('b', false);
    const c = run('c', true);
    expect(started).toEqual(['a']);
    expect(b.task.started).toBe(false);
    first.resolve('a');
    await Promise.all([a.promise, b.promise, c.promise]);
    expect(started).toEqual(['a', 'c', 'b']);
  });

  it('a queued request whose signal aborts never starts and rejects with the abort reason', async () => {
    const limiter = createRequestLimiter(1);
    const controller = new AbortController();
    const gate = deferred();
    const started: string[] = [];
    limiter.schedule(
      true,
      () => gate.promise,
      controller.signal,
      () => new Error('first'),
    );
    const queued = limiter.schedule(
      false,
      () => {
        started.push('queued');
        return Promise.resolve('x');
      },
      controller.signal,
      () => new Error('dropped'),
    );
    controller.abort();
    await expect(queued.promise).rejects.toThrow('dropped');
    gate.resolve('done');
    await gate.promise;
    expect(started).toEqual([]);
    expect(queued.task.started).toBe(false);
  });
});
