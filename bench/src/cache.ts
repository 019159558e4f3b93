import { createRecommendedPipeline } from 'oauth-discovery';
import { firstResponse } from './challenge.js';
import { median, round1 } from './stats.js';
import type { CacheResult } from './types.js';
import { type HostedResource, hostWorld, type ServerPlacement, settledCount } from './world-host.js';

const CACHE_WORLD = 'prm-path-aware';

/**
 * A warm-cache discovery: one pipeline (default in-memory cache) discovers the PRM path-aware world
 * once, then `warmRuns` times more. The warm runs must answer from the cache without a single request
 * reaching the servers.
 */
export async function benchCache(
  latencyMs: number,
  warmRuns: number,
  servers?: ServerPlacement,
): Promise<CacheResult> {
  const world = await hostWorld({ kind: 'shape', name: CACHE_WORLD, latencyMs }, servers);
  const pipeline = createRecommendedPipeline({ probe: false });
  try {
    const { url: resource } = world.resources[0] as HostedResource;
    const first = await firstResponse(resource);
    const options = {
      challenge: first.wwwAuthenticate,
      challengeStatus: first.status,
    };
    await world.clearLog();
    const coldStarted = performance.now();
    await pipeline.discover(resource, options);
    const coldMs = performance.now() - coldStarted;
    const coldRequests = (await settledCount(world)).requests;

    await world.clearLog();
    const warm: number[] = [];
    let fromCache = true;
    for (let run = 0; run < warmRuns; run++) {
      const started = performance.now();
      const result = await pipeline.discover(resource, options);
      warm.push(performance.now() - started);
      fromCache &&= result.fromCache;
    }
    const warmRequests = (await settledCount(world)).requests;
    return {
      world: CACHE_WORLD,
      latencyMs,
      coldMs: round1(coldMs),
      coldRequests,
      warmMedianMs: Math.round(median(warm) * 1000) / 1000,
      warmRequests,
      warmRuns,
      fromCache,
    };
  } finally {
    await pipeline.close();
    await world.close();
  }
}
