import { createRecommendedPipeline } from 'oauth-discovery';
import { firstResponse } from './challenge.js';
import { median, round1 } from './stats.js';
import type { SharedDocumentsResult } from './types.js';
import { type HostedResource, hostWorld, type ServerPlacement, settledCount } from './world-host.js';

/**
 * Documents shared between the discoveries of one pipeline: two resources of one origin, each naming
 * its own PRM in its 401, behind one authorization server. Each run takes a new pipeline (default
 * cache), discovers the first resource (cold), then the second: its PRM is new, the authorization
 * server's metadata is not, so it should cost one request and one round trip. Requests are counted by
 * the servers; the median of `runs` runs is reported.
 */
export async function benchSharedDocuments(
  latencyMs: number,
  runs: number,
  servers?: ServerPlacement,
): Promise<SharedDocumentsResult> {
  const plan = { discoveries: 2, resources: 2, authorizationServers: 1, latencyMs, rounds: 1 };
  const world = await hostWorld({ kind: 'scale', plan }, servers);
  try {
    const resources = world.resources as readonly [HostedResource, HostedResource];
    const firsts = await Promise.all(resources.map((resource) => firstResponse(resource.url)));
    const samples = {
      first: { ms: [] as number[], requests: [] as number[] },
      second: { ms: [] as number[], requests: [] as number[] },
    };
    let correct = true;
    for (let run = 0; run < runs; run++) {
      const pipeline = createRecommendedPipeline({ probe: false });
      try {
        for (const [i, key] of (['first', 'second'] as const).entries()) {
          const resource = resources[i] as HostedResource;
          const first = firsts[i];
          await world.clearLog();
          const started = performance.now();
          const result = await pipeline.discover(resource.url, {
            ...(first?.wwwAuthenticate === undefined ? {} : { challenge: first.wwwAuthenticate }),
            challengeStatus: first?.status ?? 401,
          });
          samples[key].ms.push(performance.now() - started);
          samples[key].requests.push((await settledCount(world)).requests);
          correct &&= !result.fromCache && result.authorizationServer.issuer === resource.issuer;
        }
      } finally {
        await pipeline.close();
      }
    }
    const summary = (s: { ms: number[]; requests: number[] }) => ({
      medianMs: round1(median(s.ms)),
      requests: median(s.requests),
    });
    return { latencyMs, runs, first: summary(samples.first), second: summary(samples.second), correct };
  } finally {
    await world.close();
  }
}
