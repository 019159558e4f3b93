import { setTimeout as sleep } from 'node:timers/promises';
import { discoverOAuthServerInfo } from '@modelcontextprotocol/sdk/client/auth.js';
import {
  authorizationServerMetadata,
  prmPath,
  protectedResourceMetadata,
  type Route,
  resourceMetadataChallenge,
  startWorld,
  unauthorized,
  type World,
  type WorldSpec,
} from '@oauth-discovery/testkit';
import { createRecommendedPipeline } from 'oauth-discovery';
import { type FirstResponse, firstResponse } from './challenge.js';
import { sampleMemory } from './memory.js';
import { median, round1 } from './stats.js';
import type { ScaleContenderResult, ScaleResult } from './types.js';

/** Size of the scale run. */
export interface ScalePlan {
  readonly discoveries: number;
  readonly resources: number;
  readonly authorizationServers: number;
  readonly latencyMs: number;
  /** How often each contender does the whole run (median wall time is reported). */
  readonly rounds: number;
}

/** Issue 6: 1,000 concurrent discoveries of 100 distinct resources behind 10 authorization servers. */
export const DEFAULT_SCALE: ScalePlan = {
  discoveries: 1000,
  resources: 100,
  authorizationServers: 10,
  latencyMs: 20,
  rounds: 1,
};

const OAUTH_AS = '/.well-known/oauth-authorization-server';

interface ScaleResource {
  readonly url: string;
  readonly issuer: string;
  readonly first: FirstResponse;
}

/**
 * A world of `resources` protected resources spread over as many resource origins as there are
 * authorization servers; resource `i` lives at `/t<i>/mcp` on origin `r<i / servers>`, announces its
 * path-aware PRM in its 401 and is protected by `as<i % servers>`.
 */
export function scaleWorldSpec(plan: ScalePlan): WorldSpec {
  const servers = plan.authorizationServers;
  const routes: Record<string, Record<string, Route>> = {};
  for (let s = 0; s < servers; s++) routes[`r${s}`] = {};
  for (let i = 0; i < plan.resources; i++) {
    const originName = resourceOrigin(i, plan);
    const path = `/t${i}/mcp`;
    const asName = `as${i % servers}`;
    const own = routes[originName] as Record<string, Route>;
    own[path] = unauthorized((w) => resourceMetadataChallenge(w.url(originName, prmPath(path))));
    own[prmPath(path)] = {
      json: (w) => protectedResourceMetadata(w.url(originName, path), [w.origin(asName)]),
    };
  }
  for (let s = 0; s < servers; s++) {
    const asName = `as${s}`;
    routes[asName] = {
      [OAUTH_AS]: { json: (w) => authorizationServerMetadata({ issuer: w.origin(asName) }) },
    };
  }
  return {
    latencyMs: plan.latencyMs,
    origins: Object.fromEntries(Object.entries(routes).map(([name, own]) => [name, { routes: own }])),
  };
}

function resourceOrigin(i: number, plan: ScalePlan): string {
  const perOrigin = Math.ceil(plan.resources / plan.authorizationServers);
  return `r${Math.floor(i / perOrigin) % plan.authorizationServers}`;
}

function resourcesOf(world: World, plan: ScalePlan): Array<{ url: string; issuer: string }> {
  const servers = plan.authorizationServers;
  return Array.from({ length: plan.resources }, (_, i) => ({
    url: world.url(resourceOrigin(i, plan), `/t${i}/mcp`),
    issuer: world.origin(`as${i % servers}`),
  }));
}

async function measure(
  world: World,
  plan: ScalePlan,
  resources: readonly ScaleResource[],
  discoverOne: (resource: ScaleResource) => Promise<string | undefined>,
): Promise<ScaleContenderResult> {
  world.clearLog();
  const memory = sampleMemory();
  const started = performance.now();
  const issuers = await Promise.all(
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
  await sleep(50);
  return {
    wallMs: round1(wallMs),
    requests: world.requests.length,
    failures: issuers.filter((ok) => !ok).length,
    ...peak,
  };
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

async function rounds(
  world: World,
  plan: ScalePlan,
  resources: readonly ScaleResource[],
  contender: ScaleContender,
): Promise<ScaleContenderResult> {
  const results: ScaleContenderResult[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    const { discoverOne, close } = contender.open();
    try {
      results.push(await measure(world, plan, resources, discoverOne));
    } finally {
      await close();
    }
  }
  return {
    wallMs: round1(median(results.map((r) => r.wallMs))),
    requests: median(results.map((r) => r.requests)),
    failures: Math.max(...results.map((r) => r.failures)),
    peakRssMb: Math.max(...results.map((r) => r.peakRssMb)),
    peakHeapDeltaMb: Math.max(...results.map((r) => r.peakHeapDeltaMb)),
  };
}

/**
 * Starts `plan.discoveries` discoveries at once over `plan.resources` resources, `plan.rounds` times
 * per contender: ours through one recommended pipeline per round (single flight, cache, with and
 * without speculation), the SDK one `discoverOAuthServerInfo` per discovery as an app without its own
 * cache would. Each starts from the resource's 401, as in the world benchmark; requests are counted
 * by the servers. Wall time and requests are medians over the rounds, memory and failures the worst.
 */
export async function benchScale(plan: ScalePlan = DEFAULT_SCALE): Promise<ScaleResult> {
  const world = await startWorld(scaleWorldSpec(plan));
  try {
    const resources: ScaleResource[] = [];
    for (const resource of resourcesOf(world, plan)) {
      resources.push({ ...resource, first: await firstResponse(resource.url) });
    }
    const ours = await rounds(world, plan, resources, oursScale(true));
    const oursSequential = await rounds(world, plan, resources, oursScale(false));
    const sdk = await rounds(world, plan, resources, sdkScale);
    const { rounds: count, ...size } = plan;
    return { ...size, rounds: count, ours, oursSequential, sdk };
  } finally {
    await world.close();
  }
}
