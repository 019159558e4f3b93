import type { DiscoveryResult } from '@oauth-discovery/core';
import { resourceParameter } from '@oauth-discovery/openid-client';

/**
 * The RFC 8707 resource indicator for a discovery result, sent in the authorization and the token
 * request alike: `@oauth-discovery/openid-client`'s `resourceParameter`, the project's one `resource`
 * rule (the PRM's `resource`; else the resource without a bare origin's trailing slash; none when a hint
 * says the provider rejects it).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/authorization#canonical-server-uri
 */
export function resourceIndicator(result: DiscoveryResult): string | undefined {
  return resourceParameter(result);
}
