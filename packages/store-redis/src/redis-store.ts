import { randomUUID } from 'node:crypto';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import {
  assertDeleteOptions,
  assertKey,
  assertPrefix,
  assertSetOptions,
  assertValue,
  runWithLock,
  type Store,
  unavailable,
  type WriteResult,
} from '@oauth-discovery/store';
import {
  command,
  evalScript,
  globEscape,
  type RedisCommander,
  type RedisSubscriber,
  redisConnection,
} from './client.js';
import * as scripts from './scripts.js';

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** A connected client: `await createClient({ url }).connect()` of `@redis/client` or `redis`. The store never closes it. */
  readonly client: RedisCommander;
  /**
   * Prefix of every Redis key the store uses (records under `<prefix>r:`, locks under `<prefix>l:`,
   * events on `<prefix>events`). Default `oauth-discovery:`. Give each store sharing a Redis its own.
   */
  readonly prefix?: string | undefined;
  /** A connection in subscriber mode (`client.duplicate()`, connected), for {@link RedisStore.subscribe}. */
  readonly subscriber?: RedisSubscriber | undefined;
}

/** A change another (or this) instance made: sent after the write, at most once, only to live subscribers. */
export interface StoreChange {
  readonly type: 'set' | 'delete';
  readonly key: string;
}

/** The Redis {@link Store}, plus change events. */
export interface RedisStore extends Store {
  /**
   * Calls `listener` for every change to a record of this store, by any instance (Redis pub/sub:
   * best effort — an event sent while this instance was disconnected is lost, so treat events as
   * hints to re-read, never as the data). Needs the `subscriber` option. Resolves to an unsubscribe.
   *
   * @throws {DiscoveryError} `INVALID_CONFIG` without a `subscriber`.
   */
  subscribe(listener: (change: StoreChange) => void): Promise<() => Promise<void>>;
}

type SetReply = [0 | 1, string | null];
type GetReply = [string, string, number] | null;

/**
 * The Redis {@link Store} for a fleet: every instance on one Redis shares records and locks.
 * Compare-and-swap runs as one Lua script (check the version, write, publish the change: atomic);
 * a lock is `SET <lock> <token> NX PX <lease>` and its release a Lua compare-and-delete on the
 * token. Expiring records use Redis TTLs.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` without a client or with a bad prefix.
 * @see https://redis.io/docs/latest/develop/use/patterns/distributed-locks/ (single-instance locking)
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  const { client, prefix } = redisConnection(options, 'createRedisStore', 'oauth-discovery:');
  const { subscriber } = options;
  const recordKey = (key: string) => `${prefix}r:${key}`;
  const channel = `${prefix}events`;
  const event = (type: StoreChange['type'], key: string) => JSON.stringify({ type, key });
  const conflict = (current: string | null): WriteResult => ({
    ok: false,
    reason: 'version-conflict',
    currentVersion: current ?? null,
  });

  return {
    async get(key) {
      assertKey(key);
      const reply = await evalScript<GetReply>(client, scripts.GET, [recordKey(key)], [], 'get');
      if (reply === null) return undefined;
      const [value, version, pttl] = reply;
      return { value, version, expiresAt: pttl > 0 ? Date.now() + pttl : undefined };
    },
    async set(key, value, setOptions = {}) {
      assertKey(key);
      assertValue(value);
      assertSetOptions(setOptions);
      const { ifVersion, ttlMs } = setOptions;
      const mode = ifVersion === undefined ? 'any' : ifVersion === null ? 'absent' : 'version';
      const version = randomUUID();
      const args = [mode, ifVersion ?? '', value, version, ttlMs === undefined ? '' : String(ttlMs)];
      const [ok, current] = await evalScript<SetReply>(
        client,
        scripts.SET,
        [recordKey(key)],
        [...args, channel, event('set', key)],
        'set',
      );
      return ok === 1 ? { ok: true, version } : conflict(current);
    },
    async delete(key, deleteOptions = {}) {
      assertKey(key);
      assertDeleteOptions(deleteOptions);
      const { ifVersion } = deleteOptions;
      const [ok, current] = await evalScript<SetReply>(
        client,
        scripts.DELETE,
        [recordKey(key)],
        [ifVersion === undefined ? 'any' : 'version', ifVersion ?? '', channel, event('delete', key)],
        'delete',
      );
      return ok === 1 ? { ok: true, version: null } : conflict(current);
    },
    async list(listPrefix) {
      assertPrefix(listPrefix);
      const match = `${globEscape(recordKey(listPrefix))}*`;
      const keys = new Set<string>();
      let cursor = '0';
      do {
        const [next, batch] = await command<[string, string[]]>(
          client,
          ['SCAN', cursor, 'MATCH', match, 'COUNT', '250', 'TYPE', 'hash'],
          'list',
        );
        for (const redisKey of batch) keys.add(redisKey.slice(recordKey('').length));
        cursor = String(next);
      } while (cursor !== '0');
      return [...keys].sort();
    },
    withLock(key, leaseMs, fn, lockOptions) {
      return runWithLock(
        async (lockKey, token, lease) => {
          const redisKey = `${prefix}l:${lockKey}`;
          const reply = await command<string | null>(
            client,
            ['SET', redisKey, token, 'NX', 'PX', String(lease)],
            'lock',
          );
          if (reply !== 'OK') return undefined;
          return async () => {
            await evalScript<number>(client, scripts.RELEASE, [redisKey], [token], 'unlock');
          };
        },
        key,
        leaseMs,
        fn,
        lockOptions,
      );
    },
    async subscribe(listener) {
      if (subscriber === undefined) {
        throw new DiscoveryError(
          ErrorCodes.INVALID_CONFIG,
          'createRedisStore: subscribe needs the subscriber option',
          {
            expected: 'a subscriber connection',
            actual: undefined,
          },
        );
      }
      const onMessage = (message: string) => {
        let change: StoreChange;
        try {
          change = JSON.parse(message) as StoreChange;
        } catch {
          return;
        }
        if ((change.type === 'set' || change.type === 'delete') && typeof change.key === 'string')
          listener(change);
      };
      try {
        await subscriber.subscribe(channel, onMessage);
      } catch (error) {
        throw unavailable(error, 'redis subscribe');
      }
      return async () => {
        await subscriber.unsubscribe(channel, onMessage).catch(() => undefined);
      };
    },
    async close() {},
  } satisfies RedisStore;
}
