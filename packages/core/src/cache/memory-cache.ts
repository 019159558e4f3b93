import { DiscoveryError, ErrorCodes } from '../errors.js';
import { createLru } from './lru.js';
import type { CacheEntry, DiscoveryCache } from './types.js';

/** Options of {@link createMemoryCache}. */
export interface MemoryCacheOptions {
  /** Most entries kept; the least recently used one is evicted first. Default 500. */
  readonly maxEntries?: number;
  /** Clock in milliseconds since the epoch, used to drop expired entries. Default `Date.now`. */
  readonly now?: () => number;
}

/** The in-memory cache: a {@link DiscoveryCache} plus its size and a way to empty it. */
export interface MemoryCache extends DiscoveryCache {
  /** Entries currently held (expired ones included until they are read or evicted). */
  readonly size: number;
  clear(): Promise<void>;
}

/**
 * An in-memory LRU {@link DiscoveryCache} — the pipeline's default. Reading an entry makes it the
 * most recently used; an expired entry is dropped when read.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` when `maxEntries` is not a positive integer.
 */
export function createMemoryCache(options: MemoryCacheOptions = {}): MemoryCache {
  const maxEntries = options.maxEntries ?? 500;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      `createMemoryCache: maxEntries must be a positive integer, got ${String(maxEntries)}`,
      { expected: 'a positive integer', actual: maxEntries },
    );
  }
  const now = options.now ?? Date.now;
  const entries = createLru<CacheEntry>(maxEntries);

  return {
    get size() {
      return entries.size;
    },
    async get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAt > now()) return entry;
      entries.delete(key);
      return undefined;
    },
    async set(key, entry) {
      entries.set(key, entry);
    },
    async delete(key) {
      entries.delete(key);
    },
    async clear() {
      entries.clear();
    },
  };
}
