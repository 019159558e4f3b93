import { describe, expect, it } from 'vitest';
import { ErrorCodes, isDiscoveryError } from '../errors.js';
import { createSingleFlight } from './single-flight.js';

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('createSingleFlight', () => {
  it('runs the work once for concurrent callers of one key, and again after it settled', async () => {
    const flights = createSingleFlight<number>();
    let runs = 0;
    const done = deferred<number>();
    const work = () => {
      runs += 1;
      return done.promise;
    };
    const calls = [flights.run('k', work), flights.run('k', work), flights.run('other', async () => 7)];
    expect(flights.size).toBe(2);
    done.resolve(42);
    expect(await Promise.all(calls)).toEqual([42, 42, 7]);
    expect(runs).toBe(1);
    expect(flights.size).toBe(0);
    await flights.run('k', work);
    expect(runs).toBe(2);
  });

  it('rejects a leaving waiter with ABORTED and aborts the work only when the last one leaves', async () => {
    const flights = createSingleFlight<string>();
    let workSignal: AbortSignal | undefined;
    const work = (signal: AbortSignal) => {
      workSignal = signal;
      return new Promise<string>((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(new Error('work aborted')));
      });
    };
    const a = new AbortController();
    const b = new AbortController();
    const first = flights.run('k', work, a.signal).catch((e: unknown) => e);
    const second = flights.run('k', work, b.signal).catch((e: unknown) => e);
    a.abort();
    const firstError = await first;
    expect(isDiscoveryError(firstError, ErrorCodes.ABORTED)).toBe(true);
    expect(workSignal?.aborted).toBe(false);
    b.abort('bye');
    expect(((await second) as Error).message).toBe('work aborted');
    expect(workSignal?.aborted).toBe(true);
    expect(workSignal?.reason).toBe('bye');
    expect(flights.size).toBe(0);
  });

  it('keeps the work alive while a caller without a signal waits', async () => {
    const flights = createSingleFlight<string>();
    const done = deferred<string>();
    let workSignal: AbortSignal | undefined;
    const work = (signal: AbortSignal) => {
      workSignal = signal;
      return done.promise;
    };
    const a = new AbortController();
    const patient = flights.run('k', work);
    const leaving = flights.run('k', work, a.signal).catch((e: unknown) => e);
    a.abort();
    expect(isDiscoveryError(await leaving, ErrorCodes.ABORTED)).toBe(true);
    expect(workSignal?.aborted).toBe(false);
    done.resolve('ok');
    expect(await patient).toBe('ok');
  });

  it('rejects at once, without starting work, when the signal is already aborted', async () => {
    const flights = createSingleFlight<string>();
    let runs = 0;
    const error = await flights
      .run(
        'k',
        async () => {
          runs += 1;
          return 'x';
        },
        AbortSignal.abort(),
      )
      .catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.ABORTED)).toBe(true);
    expect(runs).toBe(0);
  });
});
