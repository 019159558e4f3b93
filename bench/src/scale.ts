import { discoverOAuthServerInfo } from '@modelcontextprotocol/sdk/client/auth.js';
import { createRecommendedPipeline } from 'oauth-discovery';
import { type FirstResponse, firstResponse } from './challenge.js';
import { sampleMemory } from './memory.js';
import { DEFAULT_SCALE, type ScalePlan } from './scale-world.js';
import { median, round1 } from './stats.js';
import type { ScaleContenderResult, ScaleResult } from './types.js';
import { type HostedWorld, hostWorld, type ServerPlacement, settledCount } from './world-host.js';

interface ScaleResource {
  readonly url: string;
  readonly issuer: string | undefined;
  readonly first: FirstResponse;
}

type DiscoverOne = (resource: ScaleResource) => Promise<string | undefined>;

/** One contender of the scale run: a fresh discoverer per round (a new pipeline has a cold cache). */
interface ScaleContender {
  open(): { discoverOne: DiscoverOne; close(): Promise<void> };
}

function oursScale(speculate: boolean): ScaleContender {
  return {
    open() {
      const pipeline = createRecommendedPipeline({ probe: false, speculate });
      return {
        async discoverOne(resource) {
          const result = await pipeline.discover(resource.url, {
            ...(resource.first.wwwAuthenticate === undefined
              ? {}
              : { challenge: resource.first.wwwAuthenticate }),
            challengeStatus: resource.first.status,
          });
          return result.authorizationServer.issuer;
        },
        close: () => pipeline.close(),
      };
    },
  };
}

const sdkScale: ScaleContender = {
  open() {
    return {
      async discoverOne(resource) {
        const url = resource.first.sdkResourceMetadataUrl;
        const info = await discoverOAuthServerInfo(resource.url, url ? { resourceMetadataUrl: url } : {});
        return info.authorizationServerMetadata?.issuer;
      },
      close: async () => {},
    };
  },
};

async function measure(
  world: HostedWorld,
  plan: ScalePlan,
  resources: readonly ScaleResource[],
  discoverOne: DiscoverOne,
): Promise<ScaleContenderResult> {
  await world.clearLog();
  const memory = sampleMemory();
  const started = performance.now();
  const found = await Promise.all(
    Array.from({ length: plan.discoveries }, (_, k) => {
      const resource = resources[k % resources.length] as ScaleResource;
      return discoverOne(resource).then(
        (issuer) => issuer === resource.issuer,
        () => false,
      );
    }),
  );
  const wallMs = performance.now() - started;
  const peak = memory.stop();
  const { requests } = await settledCount(world);
  return {
    wallMs: round1(wallMs),
    requests,
    failures: found.filter((ok) => !ok).length,
    ...peak,
  };
}

function summarize(results: readonly ScaleContenderResult[]): ScaleContenderResult {
  return {
    wallMs: round1(median(results.map((r) => r.wallMs))),
    requests: median(results.map((r) => r.requests)),
    failures: Math.max(...results.map((r) => r.failures)),
    peakRssMb: Math.max(...results.map((r) => r.peakRssMb)),
    peakHeapDeltaMb: Math.max(...results.map((r) => r.peakHeapDeltaMb)),
  };
}

const KEYS = ['ours', 'oursSpeculative', 'sdk'] as const;
type ScaleKey = (typeof KEYS)[number];

/**
 * Starts `plan.discoveries` discoveries at once over `plan.resources` resources, `plan.rounds` times
 * per contender: ours through one recommended pipeline per round (single flight, cache, with and
 * without speculation), the SDK one `discoverOAuthServerInfo` per discovery as an app without its own
 * cache would. Each starts from the resource's 401, as in the world benchmark; requests are counted
 * by the servers. Wall time and requests are medians over the rounds, memory and failures the worst.
 */
export async function benchScale(
  plan: ScalePlan = DEFAULT_SCALE,
  servers?: ServerPlacement,
): Promise<ScaleResult> {
  const world = await hostWorld({ kind: 'scale', plan }, servers);
  try {
    const resources: ScaleResource[] = [];
    for (const resource of world.resources) {
      resources.push({ ...resource, first: await firstResponse(resource.url) });
    }
    const contenders: Record<ScaleKey, ScaleContender> = {
      ours: oursScale(false),
      oursSpeculative: oursScale(true),
      sdk: sdkScale,
    };
    const results: Record<ScaleKey, ScaleContenderResult[]> = { ours: [], oursSpeculative: [], sdk: [] };
    // The contenders take turns in a rotating order, as in the worlds: the first run after a world
    // starts (cold JIT paths, garbage of the earlier parts) must not always fall on the same one.
    for (let round = 0; round < plan.rounds; round++) {
      for (let i = 0; i < KEYS.length; i++) {
        const key = KEYS[(i + round) % KEYS.length] as ScaleKey;
        const { discoverOne, close } = contenders[key].open();
        try {
          results[key].push(await measure(world, plan, resources, discoverOne));
        } finally {
          await close();
        }
      }
    }
    const [ours, oursSpeculative, sdk] = KEYS.map((key) => summarize(results[key])) as [
      ScaleContenderResult,
      ScaleContenderResult,
      ScaleContenderResult,
    ];
    return { ...plan, ours, oursSpeculative, sdk };
  } finally {
    await world.close();
  }
}
