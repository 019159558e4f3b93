import { describe, expect, it } from 'vitest';
import { ErrorCodes, isDiscoveryError } from '../errors.js';
import { createTraceRecorder } from '../trace/recorder.js';
import { discoveryCacheKey } from './key.js';
import { createMemoryCache } from './memory-cache.js';
import type { CacheEntry } from './types.js';

const entry = (expiresAt: number, message = 'miss'): CacheEntry => ({
  // A fixed wall clock keeps two entries built alike deep-equal.
  expiresAt,
  value: {
    ok: false,
    error: { code: ErrorCodes.DISCOVERY_FAILED, message },
    trace: createTraceRecorder('https://mcp.example/', { wallClock: () => 0 }).snapshot(),
  },
});

describe('createMemoryCache', () => {
  it('returns what was set until it expires, then forgets it', async () => {
    let now = 1_000;
    const cache = createMemoryCache({ now: () => now });
    const stored = entry(2_000);
    await cache.set('a', stored);
    expect(await cache.get('a')).toBe(stored);
    now = 2_000;
    expect(await cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = createMemoryCache({ maxEntries: 2, now: () => 0 });
    await cache.set('a', entry(10, 'a'));
    await cache.set('b', entry(10, 'b'));
    await cache.get('a');
    await cache.set('c', entry(10, 'c'));
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    expect(await cache.get('c')).toBeDefined();
    expect(cache.size).toBe(2);
  });

  it('deletes and clears', async () => {
    const cache = createMemoryCache({ now: () => 0 });
    await cache.set('a', entry(10));
    await cache.set('b', entry(10));
    await cache.delete('a');
    expect(await cache.get('a')).toBeUndefined();
    await cache.clear();
    expect(cache.size).toBe(0);
  });

  it('rejects a maxEntries that is not a positive integer with INVALID_CONFIG', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
      let code: string | undefined;
      try {
        createMemoryCache({ maxEntries });
      } catch (error) {
        code = isDiscoveryError(error) ? error.code : 'other';
      }
      expect(code).toBe(ErrorCodes.INVALID_CONFIG);
    }
  });
});

describe('discoveryCacheKey', () => {
  it('is the resource alone without a challenge, and differs per challenge and status', () => {
    const r = 'https://mcp.example/mcp';
    expect(discoveryCacheKey(r)).toBe(r);
    const keys = new Set([
      discoveryCacheKey(r),
      discoveryCacheKey(r, 'Bearer scope="a"'),
      discoveryCacheKey(r, 'Bearer scope="b"'),
      discoveryCacheKey(r, 'Bearer scope="b"', 403),
    ]);
    expect(keys.size).toBe(4);
  });
});
