import { createRecommendedPipeline } from 'oauth-discovery';
import { type FirstResponse, firstResponse } from './challenge.js';
import { sdkContender } from './contenders.js';
import { isExpected } from './run-world.js';
import { median, round1 } from './stats.js';
import type { DiscoveryCost, SharedDocumentsResult } from './types.js';
import {
  type HostedResource,
  type HostedWorld,
  hostWorld,
  type ServerPlacement,
  settledCount,
} from './world-host.js';

interface CostSamples {
  readonly ms: number[];
  readonly requests: number[];
}

/** Times `discover` and counts the requests the servers received for it; true when it was correct. */
async function sample(
  world: HostedWorld,
  into: CostSamples,
  discover: () => Promise<boolean>,
): Promise<boolean> {
  await world.clearLog();
  const started = performance.now();
  const correct = await discover();
  into.ms.push(performance.now() - started);
  into.requests.push((await settledCount(world)).requests);
  return correct;
}

const summary = (s: CostSamples): DiscoveryCost => ({
  medianMs: round1(median(s.ms)),
  requests: median(s.requests),
});

/**
 * Documents shared between the discoveries of one pipeline: two resources of one origin, each naming
 * its own PRM in its 401, behind one authorization server. Each run takes a new pipeline (default
 * cache), discovers the first resource (cold), then the second: its PRM is new, the authorization
 * server's metadata is not, so it should cost one request and one round trip. The SDK then discovers
 * the second resource too (it keeps nothing between calls). Requests are counted by the servers; the
 * median of `runs` runs is reported.
 */
export async function benchSharedDocuments(
  latencyMs: number,
  runs: number,
  servers?: ServerPlacement,
): Promise<SharedDocumentsResult> {
  const plan = { discoveries: 2, resources: 2, authorizationServers: 1, latencyMs, rounds: 1 };
  const world = await hostWorld({ kind: 'scale', plan }, servers);
  const sdk = sdkContender();
  try {
    const [one, two] = world.resources as readonly [HostedResource, HostedResource];
    const [oneFirst, twoFirst] = (await Promise.all([one, two].map((r) => firstResponse(r.url)))) as [
      FirstResponse,
      FirstResponse,
    ];
    const samples = {
      first: { ms: [], requests: [] } as CostSamples,
      second: { ms: [], requests: [] } as CostSamples,
      sdkSecond: { ms: [], requests: [] } as CostSamples,
    };
    let correct = true;
    for (let run = 0; run < runs; run++) {
      const pipeline = createRecommendedPipeline({ probe: false });
      const ours = (resource: HostedResource, first: FirstResponse) => async () => {
        const result = await pipeline.discover(resource.url, {
          challenge: first.wwwAuthenticate,
          challengeStatus: first.status,
        });
        return !result.fromCache && result.authorizationServer.issuer === resource.issuer;
      };
      // Every sample is taken whatever the earlier ones found (no `&&=` short-circuit around them).
      const found: boolean[] = [];
      try {
        found.push(await sample(world, samples.first, ours(one, oneFirst)));
        found.push(await sample(world, samples.second, ours(two, twoFirst)));
      } finally {
        await pipeline.close();
      }
      found.push(
        await sample(world, samples.sdkSecond, async () =>
          isExpected((await sdk.discover(two.url, twoFirst)).answer, two.issuer),
        ),
      );
      correct &&= found.every(Boolean);
    }
    return {
      latencyMs,
      runs,
      first: summary(samples.first),
      second: summary(samples.second),
      sdkSecond: summary(samples.sdkSecond),
      correct,
    };
  } finally {
    await sdk.close();
    await world.close();
  }
}
