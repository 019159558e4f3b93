import type { ErrorCode } from '../errors.js';
import type { DiscoveryTrace } from '../trace/types.js';
import type { DiscoveryResult } from '../types.js';

/** A cached miss: what the `DISCOVERY_FAILED` error said, and the trace of the discovery that failed. */
export interface CachedFailure {
  readonly ok: false;
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly url?: string | undefined };
  readonly trace: DiscoveryTrace;
}

/** A cached success: the result as the original discovery returned it. */
export interface CachedSuccess {
  readonly ok: true;
  readonly result: DiscoveryResult;
}

/**
 * One cache entry. Plain data (strings, numbers, arrays, objects) so a shared store can serialise
 * it as JSON. `expiresAt` is in milliseconds since the epoch (of the clock the pipeline was given).
 */
export interface CacheEntry {
  readonly expiresAt: number;
  readonly value: CachedSuccess | CachedFailure;
}

/**
 * Where discovery results (and, briefly, misses) are kept between `discover()` calls. Asynchronous
 * so that a shared store (Redis, a database) can back a multi-instance deployment. Implementations
 * may evict at any time; the pipeline ignores entries whose `expiresAt` has passed.
 */
export interface DiscoveryCache {
  get(key: string): Promise<CacheEntry | undefined>;
  set(key: string, entry: CacheEntry): Promise<void>;
  delete(key: string): Promise<void>;
}
