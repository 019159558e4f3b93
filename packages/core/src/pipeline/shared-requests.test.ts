import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors.js';
import { createSharedRequests } from './shared-requests.js';

/** Work that never settles on its own: it rejects with its signal's reason once aborted. */
function pending(signals: Record<string, AbortSignal>, key: string) {
  return (signal: AbortSignal) => {
    signals[key] = signal;
    return new Promise<number>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
  };
}

describe('createSharedRequests', () => {
  it('a waiter whose discovery ended detaches: the request runs on, and close() aborts only such ones', async () => {
    const requests = createSharedRequests<number>();
    const signals: Record<string, AbortSignal> = {};
    const ended = new AbortController();
    const detached = requests.run('detached', 'https://a.example/', pending(signals, 'detached'), {
      ended: ended.signal,
    });
    const waited = requests.run('waited', 'https://b.example/', pending(signals, 'waited'), {
      signal: new AbortController().signal,
    });
    await Promise.resolve();
    ended.abort('ended');
    await expect(detached.promise).rejects.toMatchObject({ code: ErrorCodes.ABORTED });
    expect(signals.detached?.aborted).toBe(false);
    expect(requests.size).toBe(2);
    requests.close('closed');
    expect(signals.detached?.reason).toBe('closed');
    expect(signals.waited?.aborted).toBe(false);
    expect(requests.size).toBe(1);
    void waited.promise.catch(() => undefined);
  });

  it('the last waiter that aborts stops the request; a joining waiter is told it joined', async () => {
    const requests = createSharedRequests<number>();
    const signals: Record<string, AbortSignal> = {};
    const first = new AbortController();
    const second = new AbortController();
    const a = requests.run('k', 'https://a.example/', pending(signals, 'k'), { signal: first.signal });
    const b = requests.run('k', 'https://a.example/', pending(signals, 'other'), { signal: second.signal });
    expect([a.joined, b.joined]).toEqual([false, true]);
    await Promise.resolve();
    first.abort('gone');
    await expect(a.promise).rejects.toMatchObject({ code: ErrorCodes.ABORTED, url: 'https://a.example/' });
    expect(signals.k?.aborted).toBe(false);
    second.abort('gone too');
    await expect(b.promise).rejects.toBe('gone too');
    expect(signals.k?.reason).toBe('gone too');
    expect(signals.other).toBeUndefined();
    expect(requests.size).toBe(0);
  });
});
