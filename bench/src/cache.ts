import { setTimeout as sleep } from 'node:timers/promises';
import { prmPathAwareWorld, startWorld } from '@oauth-discovery/testkit';
import { createRecommendedPipeline } from 'oauth-discovery';
import { firstResponse } from './challenge.js';
import { median, round1 } from './stats.js';
import type { CacheResult } from './types.js';

/**
 * A warm-cache discovery: one pipeline (default in-memory cache) discovers the PRM path-aware world
 * once, then `warmRuns` times more. The warm runs must answer from the cache without a single request
 * reaching the servers.
 */
export async function benchCache(latencyMs: number, warmRuns: number): Promise<CacheResult> {
  const shape = prmPathAwareWorld({ latencyMs });
  const world = await startWorld(shape.spec);
  const pipeline = createRecommendedPipeline({ probe: false });
  try {
    const resource = shape.expect.resource(world);
    const first = await firstResponse(resource);
    const options = {
      ...(first.wwwAuthenticate === undefined ? {} : { challenge: first.wwwAuthenticate }),
      challengeStatus: first.status,
    };
    world.clearLog();
    const coldStarted = performance.now();
    await pipeline.discover(resource, options);
    const coldMs = performance.now() - coldStarted;
    await sleep(25);
    const coldRequests = world.requests.length;

    world.clearLog();
    const warm: number[] = [];
    let fromCache = true;
    for (let run = 0; run < warmRuns; run++) {
      const started = performance.now();
      const result = await pipeline.discover(resource, options);
      warm.push(performance.now() - started);
      fromCache &&= result.fromCache;
    }
    await sleep(25);
    return {
      world: shape.name,
      latencyMs,
      coldMs: round1(coldMs),
      coldRequests,
      warmMedianMs: Math.round(median(warm) * 1000) / 1000,
      warmRequests: world.requests.length,
      warmRuns,
      fromCache,
    };
  } finally {
    await pipeline.close();
    await world.close();
  }
}
