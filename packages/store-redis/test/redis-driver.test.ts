import { EventEmitter, once } from 'node:events';
import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, type StoreChange } from '../src/index.js';
import { connectRedis, deleteUnder, runPrefix } from './redis-harness.js';

type Client = Awaited<ReturnType<typeof connectRedis>>;

let client: Client;
let other: Client;
const prefix = runPrefix('driver');
beforeAll(async () => {
  client = await connectRedis();
  other = await connectRedis();
});
afterAll(async () => {
  await deleteUnder(client, prefix);
  await client.close();
  await other.close();
});

const codeOf = (error: unknown) => (isDiscoveryError(error) ? error.code : String(error));

describe('the Redis store driver', () => {
  it('a lock is SET <prefix>l:<key> <token> NX PX <lease>: the token is stored with the lease as TTL, and deleted on release', async () => {
    const store = createRedisStore({ client, prefix });
    await store.withLock('job', 30_000, async (lock) => {
      expect(await other.get(`${prefix}l:job`)).toBe(lock.token);
      const ttl = await other.pTTL(`${prefix}l:job`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30_000);
    });
    expect(await other.exists(`${prefix}l:job`)).toBe(0);
  });

  it('release is compare-and-delete: a lock taken over under the holder is left to the new holder', async () => {
    const store = createRedisStore({ client, prefix });
    await store.withLock('swap', 30_000, async () => {
      // Another holder's token replaces ours (as after our lease ran out and it took the lock).
      await other.set(`${prefix}l:swap`, 'someone-else', { PX: 30_000 });
    });
    expect(await other.get(`${prefix}l:swap`)).toBe('someone-else');
  });

  it('prefixes keep stores apart', async () => {
    const one = createRedisStore({ client, prefix: `${prefix}one:` });
    const two = createRedisStore({ client, prefix: `${prefix}two:` });
    await one.set('k', 'one');
    expect(await two.get('k')).toBeUndefined();
    expect(await two.list('')).toEqual([]);
    expect(await one.list('')).toEqual(['k']);
  });

  it('change events: every instance hears set and delete (pub/sub from inside the write script)', async () => {
    const subscriber = client.duplicate();
    subscriber.on('error', () => undefined);
    await subscriber.connect();
    const listening = createRedisStore({ client, prefix: `${prefix}ev:`, subscriber });
    const writer = createRedisStore({ client: other, prefix: `${prefix}ev:` });
    const heard = new EventEmitter();
    const changes: StoreChange[] = [];
    const unsubscribe = await listening.subscribe((change) => {
      changes.push(change);
      heard.emit('change');
    });
    try {
      const wait = (count: number) =>
        (async () => {
          while (changes.length < count) await once(heard, 'change');
        })();
      await writer.set('users/alice', 'v1');
      await writer.set('users/alice', 'v2', { ifVersion: 'not-the-version' });
      await writer.delete('users/alice');
      await writer.delete('users/absent');
      await writer.set('users/bob', 'v');
      await wait(3);
      expect(changes).toEqual([
        { type: 'set', key: 'users/alice' },
        { type: 'delete', key: 'users/alice' },
        { type: 'set', key: 'users/bob' },
      ]);
    } finally {
      await unsubscribe();
      await subscriber.close();
    }
  });

  it('subscribe without a subscriber connection: INVALID_CONFIG; no client: INVALID_CONFIG', async () => {
    const store = createRedisStore({ client, prefix });
    expect(codeOf(await store.subscribe(() => undefined).catch((error: unknown) => error))).toBe(
      ErrorCodes.INVALID_CONFIG,
    );
    expect(() => createRedisStore({ client: {} as never })).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_CONFIG }),
    );
  });

  it('Redis refusing a command (a foreign value of another type under the key) or a closed client: STORE_UNAVAILABLE with the cause', async () => {
    const store = createRedisStore({ client, prefix });
    await other.set(`${prefix}r:foreign`, 'a plain string, not a record hash');
    const refused = await store.get('foreign').catch((error: unknown) => error);
    expect(codeOf(refused)).toBe(ErrorCodes.STORE_UNAVAILABLE);
    expect((refused as Error).cause).toBeInstanceOf(Error);
    const closing = await connectRedis();
    const closed = createRedisStore({ client: closing, prefix });
    await closing.close();
    const attempts: (() => Promise<unknown>)[] = [
      () => closed.get('k'),
      () => closed.set('k', 'v'),
      () => closed.delete('k'),
      () => closed.list(''),
      () => closed.withLock('k', 1_000, () => 'x'),
    ];
    for (const attempt of attempts) {
      expect(
        codeOf(
          await Promise.resolve()
            .then(attempt)
            .catch((error: unknown) => error),
        ),
      ).toBe(ErrorCodes.STORE_UNAVAILABLE);
    }
  });
});
