import type { DiscoverOptions, DiscoveryResult } from '@oauth-discovery/core';
import { createRecommendedPipeline, type RecommendedPipelineOptions } from './recommended.js';

/** Options of {@link discover}: the recommended pipeline's options and the options of one discovery. */
export interface OneShotDiscoverOptions extends RecommendedPipelineOptions, DiscoverOptions {}

/**
 * Finds the authorization server of `resource` with the recommended pipeline, in one call. Creates a
 * pipeline, runs one discovery and closes it; to reuse the cache and connections across discoveries,
 * use {@link createRecommendedPipeline}.
 *
 * @throws {DiscoveryError} with a stable `code` and the `trace` of everything tried.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 */
export async function discover(
  resource: string | URL,
  options: OneShotDiscoverOptions = {},
): Promise<DiscoveryResult> {
  const { challenge, challengeStatus, signal, noCache, ...pipelineOptions } = options;
  const pipeline = createRecommendedPipeline({ ...pipelineOptions, cache: false });
  try {
    return await pipeline.discover(resource, { challenge, challengeStatus, signal, noCache });
  } finally {
    await pipeline.close();
  }
}
