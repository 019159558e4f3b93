import type { DiscoveryResult } from '@oauth-discovery/core';

/**
 * The RFC 8707 resource indicator for a discovery result, sent in the authorization and the token
 * request alike:
 *
 * - `undefined` when a hint says the provider rejects the parameter (`omitResourceParameter`);
 * - the PRM's `resource` exactly as published when there is one (it passed the RFC 9728 §3.3 check);
 * - else the resource as given, without the trailing slash of a bare origin (`https://mcp.example`,
 *   not `https://mcp.example/`): MCP 2026-07-28 prefers the canonical URI without it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/authorization#canonical-server-uri
 */
export function resourceIndicator(result: DiscoveryResult): string | undefined {
  if (result.hints.omitResourceParameter === true) return undefined;
  const published = result.resourceMetadata?.document.resource;
  if (published !== undefined) return published;
  const url = new URL(result.resource);
  return url.pathname === '/' && url.search === '' ? url.origin : result.resource;
}
