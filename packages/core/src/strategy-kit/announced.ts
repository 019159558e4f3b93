import type { DiscoveryState } from '../types.js';

// A parameter named resource_metadata at the start of the header or after a space or comma.
const RESOURCE_METADATA_PARAM = /(?:^|[\s,])resource_metadata\s*=/i;

/**
 * True when the resource's challenge names its protected resource metadata (RFC 9728 §5.1) — parsed
 * already, or still raw in the header the caller passed in. Speculation uses it: with the PRM
 * announced, the well-known PRM URLs and the legacy origin metadata are only fallbacks, not worth
 * fetching ahead. The raw header is only scanned for the parameter name (core has no header parser):
 * a quoted value that happens to contain ` resource_metadata=` also counts. That can only make
 * speculation more cautious; it never changes a result.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-5.1
 */
export function announcesResourceMetadata(state: Readonly<DiscoveryState>): boolean {
  if (state.challenge !== undefined) return state.challenge.resourceMetadata !== undefined;
  return state.wwwAuthenticate !== undefined && RESOURCE_METADATA_PARAM.test(state.wwwAuthenticate);
}
