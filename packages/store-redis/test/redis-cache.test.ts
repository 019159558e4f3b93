import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import type { CacheEntry } from '@oauth-discovery/core/cache';
import { prmRootWorld, testScope } from '@oauth-discovery/testkit';
import { createRecommendedPipeline } from 'oauth-discovery';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisDiscoveryCache } from '../src/index.js';
import { connectRedis, deleteUnder, runPrefix } from './redis-harness.js';

type Client = Awaited<ReturnType<typeof connectRedis>>;

const scope = testScope();
afterEach(() => scope.close());

let first: Client;
let second: Client;
const prefix = runPrefix('cache');
beforeAll(async () => {
  first = await connectRedis();
  second = await connectRedis();
});
afterAll(async () => {
  await deleteUnder(first, prefix);
  await first.close();
  await second.close();
});

const entry = (expiresAt: number): CacheEntry => ({
  expiresAt,
  value: {
    ok: false,
    error: { code: 'DISCOVERY_FAILED', message: 'nothing' },
    trace: { steps: [] } as never,
  },
});

describe('the Redis discovery cache', () => {
  it('two pipelines (two instances) share discovery: the second answers from the cache without a request', async () => {
    const shape = prmRootWorld();
    const world = await scope.world(shape);
    const resource = shape.expect.resource(world);
    const a = createRecommendedPipeline({ cache: createRedisDiscoveryCache({ client: first, prefix }) });
    const b = createRecommendedPipeline({ cache: createRedisDiscoveryCache({ client: second, prefix }) });
    try {
      const fresh = await a.discover(resource);
      expect(fresh.fromCache).toBe(false);
      const asked = world.requests.length;
      expect(asked).toBeGreaterThan(0);
      const shared = await b.discover(resource);
      expect(shared.fromCache).toBe(true);
      expect(world.requests.length).toBe(asked);
      expect(shared.authorizationServer).toEqual(fresh.authorizationServer);
      expect(shared.trace).toEqual(fresh.trace);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('get / set / delete; keys are hashed; the Redis TTL follows expiresAt; expired and foreign entries are misses', async () => {
    const own = `${prefix}unit:`;
    const cache = createRedisDiscoveryCache({ client: first, prefix: own });
    const other = createRedisDiscoveryCache({ client: second, prefix: own });
    const key = 'https://mcp.example.com/mcp\n401\nBearer resource_metadata="x"';
    const stored = entry(Date.now() + 60_000);
    await cache.set(key, stored);
    expect(await other.get(key)).toEqual(stored);
    const keys = await first.keys(`${own}*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${own}[0-9a-f]{64}$`));
    const ttl = await first.pTTL(keys[0] ?? '');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await other.delete(key);
    expect(await cache.get(key)).toBeUndefined();
    await cache.set(key, entry(Date.now() - 1));
    expect(await first.keys(`${own}*`)).toEqual([]);
    // Garbage under the key (another program, an old format): a miss, not an error.
    await first.set(keys[0] ?? '', 'not json');
    expect(await cache.get(key)).toBeUndefined();
    await first.set(keys[0] ?? '', JSON.stringify({ expiresAt: 'soon', value: {} }));
    expect(await cache.get(key)).toBeUndefined();
    // Another clock: an entry past the pipeline's now is a miss.
    const late = createRedisDiscoveryCache({ client: first, prefix: own, now: () => Date.now() + 120_000 });
    await cache.set(key, stored);
    expect(await late.get(key)).toBeUndefined();
    await cache.delete(key);
  });

  it('a closed client: STORE_UNAVAILABLE (the pipeline treats it as a miss)', async () => {
    const client = await connectRedis();
    const cache = createRedisDiscoveryCache({ client, prefix });
    await client.close();
    const error = await cache.get('k').catch((caught: unknown) => caught);
    expect(isDiscoveryError(error, ErrorCodes.STORE_UNAVAILABLE)).toBe(true);
  });

  it('no client: INVALID_CONFIG', () => {
    expect(() => createRedisDiscoveryCache({ client: undefined as never })).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_CONFIG }),
    );
  });
});
