import { createRecommendedPipeline } from 'oauth-discovery';
import type { Discoverer } from './session.js';

/** Options of the recommended discovery pipeline (presets, static config, HTTP policy, cache, events). */
export type DiscoveryOptions = NonNullable<Parameters<typeof createRecommendedPipeline>[0]>;

/**
 * The discovery used when the caller passes none: the recommended pipeline of `oauth-discovery`
 * (presets and static config first, then `WWW-Authenticate`, RFC 9728, RFC 8414, OIDC).
 */
export function createDefaultDiscoverer(options: DiscoveryOptions): Discoverer & { close?(): Promise<void> } {
  return createRecommendedPipeline(options);
}
