import type { DiscoveryCache, DiscoveryEvent, DiscoveryResult, HttpClient } from '@oauth-discovery/core';
import { createRecommendedPipeline } from 'oauth-discovery';
import type { AggregatorConfig } from './config.js';
import { createLimiter } from './limit.js';

/** What the aggregator's discovery needs. */
export interface SharedDiscoveryDeps {
  /** The SSRF-guarded client every discovery request goes through. */
  readonly http: HttpClient;
  /** The result cache every instance shares (Redis), if any. */
  readonly cache?: DiscoveryCache | undefined;
  /** Discovery progress events of the shared pipeline. */
  readonly onEvent?: ((event: DiscoveryEvent) => void) | undefined;
}

/**
 * The aggregator's discovery, shared by every upstream of every user: one recommended pipeline (its
 * result cache, single flight and shared metadata documents make a hundred upstreams behind one
 * authorization server cost one metadata request), at most `discovery.concurrency` discoveries at once,
 * and one result per upstream URL for every user while metadata is shared (a fresh discovery replaces it
 * for everyone). Pinned issuers go through static configuration: contributed first, checked strictly.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` for a bad discovery option.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function createSharedDiscovery(config: AggregatorConfig, deps: SharedDiscoveryDeps) {
  const pins = config.upstreams.flatMap((upstream) =>
    upstream.auth.type === 'oauth' && upstream.auth.issuer !== undefined
      ? [{ resource: upstream.url, issuer: upstream.auth.issuer }]
      : [],
  );
  const stats = { sent: 0, shared: 0 };
  // Counted below the pipeline's shared documents: what reaches this client went on the network.
  const counted: HttpClient = {
    request(url, init) {
      stats.sent += 1;
      return deps.http.request(url, init);
    },
  };
  const pipeline = createRecommendedPipeline({
    http: counted,
    staticConfig: pins.length > 0 ? pins : undefined,
    // On Redis the fleet shares discovery results: an upstream discovered by one instance is not
    // discovered again by the others until the result expires.
    cache: deps.cache,
    cacheTtl: { defaultMs: config.discovery.metadataCacheSeconds * 1000 },
    deadlineMs: config.discovery.deadlineMs,
    presets: config.discovery.presets,
    presetHosts: config.discovery.presetHosts,
    onEvent: (event) => {
      if (event.type === 'request-finished' && event.attempt.cached === true) stats.shared += 1;
      deps.onEvent?.(event);
    },
  });
  const limiter = createLimiter(config.discovery.concurrency);
  const shared = new Map<string, { readonly at: number; readonly result: Promise<DiscoveryResult> }>();
  const shareMs = config.discovery.metadataCacheSeconds * 1000;
  return {
    /** Discovers `url`'s authorization server; `fresh` bypasses the shared result and the cache. */
    discover(url: string, fresh: boolean): Promise<DiscoveryResult> {
      const hit = shared.get(url);
      if (!fresh && hit !== undefined && Date.now() - hit.at < shareMs) return hit.result;
      const result = limiter.run(() => pipeline.discover(url, fresh ? { noCache: true } : {}));
      shared.set(url, { at: Date.now(), result });
      result.catch(() => {
        if (shared.get(url)?.result === result) shared.delete(url);
      });
      return result;
    },
    /** Requests sent on the network, and requests answered from the pipeline's shared documents. */
    stats: () => ({ ...stats }),
    close: () => pipeline.close(),
  };
}
