import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { abortedError, DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import type { LockHandle, LockOptions } from './types.js';
import { assertKey, assertPositiveMs, assertWaitMs } from './validate.js';

/** Default of {@link LockOptions.waitMs}. */
export const DEFAULT_LOCK_WAIT_MS = 10_000;

/**
 * One attempt at a lock, as a driver implements it: resolves to a release function when the lock
 * was free (or its lease had run out) and is now held with `token`, or to `undefined` when another
 * holder has it. The release must be token-checked: it frees the lock only while `token` holds it.
 */
export type TryAcquire = (
  key: string,
  token: string,
  leaseMs: number,
) => Promise<(() => Promise<void>) | undefined>;

/** A new random lock token (128 bits, base64url). */
export function newToken(): string {
  return randomBytes(16).toString('base64url');
}

function aborted(signal: AbortSignal, key: string): DiscoveryError {
  return abortedError(`store: waiting for the lock "${key}"`, { reason: signal.reason });
}

/**
 * The `withLock` every driver shares: validates, retries `tryAcquire` with a growing, jittered
 * pause until `waitMs` has passed (`STORE_LOCK_TIMEOUT`) or `signal` fires (`ABORTED`), runs `fn`
 * with a {@link LockHandle} whose signal aborts when the lease runs out, then releases. A failed
 * release is ignored: the lease ends the lock anyway.
 */
export async function runWithLock<T>(
  tryAcquire: TryAcquire,
  key: string,
  leaseMs: number,
  fn: (lock: LockHandle) => Promise<T> | T,
  options: LockOptions = {},
): Promise<T> {
  assertKey(key, 'lock key');
  assertPositiveMs(leaseMs, 'leaseMs');
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  assertWaitMs(waitMs);
  if (typeof fn !== 'function') {
    throw new DiscoveryError(ErrorCodes.INVALID_CONFIG, 'store: withLock needs a function to run', {
      expected: 'a function',
      actual: typeof fn,
    });
  }
  const { signal } = options;
  const token = newToken();
  const deadline = Date.now() + waitMs;
  let pause = 5;
  for (;;) {
    if (signal?.aborted) throw aborted(signal, key);
    // The lease is counted from before the attempt, so the local view never outlives the stored one.
    const startedAt = Date.now();
    const release = await tryAcquire(key, token, leaseMs);
    if (release !== undefined) return runHeld(key, token, startedAt + leaseMs, release, fn);
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new DiscoveryError(
        ErrorCodes.STORE_LOCK_TIMEOUT,
        `store: the lock "${key}" was not free within ${waitMs} ms`,
        { expected: `the lock within ${waitMs} ms`, actual: 'held by another holder' },
      );
    }
    try {
      await sleep(Math.min(left, pause + Math.random() * pause), undefined, signal ? { signal } : {});
    } catch {
      throw aborted(signal as AbortSignal, key);
    }
    pause = Math.min(pause * 1.5, 100);
  }
}

async function runHeld<T>(
  key: string,
  token: string,
  expiresAt: number,
  release: () => Promise<void>,
  fn: (lock: LockHandle) => Promise<T> | T,
): Promise<T> {
  const lease = new AbortController();
  const timer = setTimeout(
    () => lease.abort(new Error(`the lease of the lock "${key}" ran out`)),
    Math.max(0, expiresAt - Date.now()),
  );
  timer.unref();
  try {
    return await fn({ key, token, expiresAt, signal: lease.signal });
  } finally {
    clearTimeout(timer);
    await release().catch(() => undefined);
  }
}
