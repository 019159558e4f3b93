import { createHash } from 'node:crypto';
import type { DiscoveryCache } from '@oauth-discovery/core';
import type { CacheEntry } from '@oauth-discovery/core/cache';
import { command, type RedisCommander, redisConnection } from './client.js';

/** Options of {@link createRedisDiscoveryCache}. */
export interface RedisDiscoveryCacheOptions {
  /** A connected client (see `RedisCommander`). The cache never closes it. */
  readonly client: RedisCommander;
  /** Prefix of the cache's Redis keys. Default `oauth-discovery:discovery:`. */
  readonly prefix?: string | undefined;
  /** The clock the pipeline was given (entries' `expiresAt` are on it). Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

function isEntry(value: unknown): value is CacheEntry {
  const entry = value as { expiresAt?: unknown; value?: { ok?: unknown } } | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.expiresAt === 'number' &&
    typeof entry.value === 'object' &&
    entry.value !== null &&
    typeof entry.value.ok === 'boolean'
  );
}

/**
 * A {@link DiscoveryCache} in Redis, so a fleet shares discovery: one instance's discovery answers
 * the others until it expires. Each entry is JSON under `<prefix><sha256 of the cache key>` (cache
 * keys hold the resource and any challenge — server text — so they are hashed) with a Redis TTL
 * matching `expiresAt`. An entry that does not parse is a miss. Failures throw `STORE_UNAVAILABLE`,
 * which the pipeline treats as a miss (a failing shared cache never fails a discovery).
 *
 * Whoever can write this Redis can answer discovery for every instance: keep it private (ACL,
 * TLS, no shared tenants) — see docs/stores.md.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` without a client.
 */
export function createRedisDiscoveryCache(options: RedisDiscoveryCacheOptions): DiscoveryCache {
  const { client, prefix } = redisConnection(
    options,
    'createRedisDiscoveryCache',
    'oauth-discovery:discovery:',
  );
  const now = options.now ?? Date.now;
  const redisKey = (key: string) => `${prefix}${createHash('sha256').update(key, 'utf8').digest('hex')}`;

  return {
    async get(key) {
      const text = await command<string | null>(client, ['GET', redisKey(key)], 'cache get');
      if (text === null) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return undefined;
      }
      return isEntry(parsed) && parsed.expiresAt > now() ? parsed : undefined;
    },
    async set(key, entry) {
      const ttl = Math.ceil(entry.expiresAt - now());
      if (!(ttl > 0)) return;
      await command(client, ['SET', redisKey(key), JSON.stringify(entry), 'PX', String(ttl)], 'cache set');
    },
    async delete(key) {
      await command(client, ['DEL', redisKey(key)], 'cache delete');
    },
  } satisfies DiscoveryCache;
}
