import {
  authorizationServerMetadata,
  prmPath,
  protectedResourceMetadata,
  type Route,
  resourceMetadataChallenge,
  unauthorized,
  type World,
  type WorldSpec,
} from '@oauth-discovery/testkit';

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

function resourceOrigin(i: number, plan: ScalePlan): string {
  const perOrigin = Math.ceil(plan.resources / plan.authorizationServers);
  return `r${Math.floor(i / perOrigin) % plan.authorizationServers}`;
}

/**
 * A world of `resources` protected resources spread over as many resource origins as there are
 * authorization servers; resource `i` lives at `/t<i>/mcp` on origin `r<i / (resources / servers)>`,
 * names its path-aware PRM in its 401 (`resource_metadata`) and is protected by `as<i % servers>`.
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

/** Every resource of a running scale world and the issuer that protects it, in index order. */
export function scaleResources(world: World, plan: ScalePlan): Array<{ url: string; issuer: string }> {
  return Array.from({ length: plan.resources }, (_, i) => ({
    url: world.url(resourceOrigin(i, plan), `/t${i}/mcp`),
    issuer: world.origin(`as${i % plan.authorizationServers}`),
  }));
}
