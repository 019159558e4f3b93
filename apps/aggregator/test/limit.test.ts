import { describe, expect, it } from 'vitest';
import { backoffDelay, createLimiter } from '../src/limit.js';

describe('createLimiter', () => {
  it('runs at most `concurrency` tasks at once and starts the waiting ones in order', async () => {
    const limiter = createLimiter(3);
    let active = 0;
    let most = 0;
    const started: number[] = [];
    const release: (() => void)[] = [];
    const runs = Array.from({ length: 8 }, (_, i) =>
      limiter.run(async () => {
        started.push(i);
        active += 1;
        most = Math.max(most, active);
        await new Promise<void>((done) => release.push(done));
        active -= 1;
        return i;
      }),
    );
    // Finish the running tasks one by one, oldest first, until every task has run.
    while (started.length < 8 || active > 0) {
      await new Promise((tick) => setImmediate(tick));
      release.shift()?.();
    }
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('frees the slot of a task that throws', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(() => Promise.reject(new RangeError('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(async () => 'next')).toBe('next');
  });
});

describe('backoffDelay', () => {
  it('doubles from the initial delay and stops at the maximum', () => {
    expect([0, 1, 2, 3, 4, 50].map((attempt) => backoffDelay(attempt, 100, 1000))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });
});
