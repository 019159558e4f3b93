import type { ProviderHints, ResourceChallenge, ResourceMetadataFound } from '../types.js';

/**
 * The scopes to request, per MCP 2025-11-25 scope selection: the `scope` of the `WWW-Authenticate`
 * challenge (authoritative), else every scope in the protected resource metadata's `scopes_supported`,
 * else the hints' `defaultScopes`, else `undefined` — meaning: omit the `scope` parameter. An empty
 * list at any level counts as absent.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#scope-selection-strategy
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function chooseScopes(
  challenge: Pick<ResourceChallenge, 'scope'> | null | undefined,
  resourceMetadata: ResourceMetadataFound | null | undefined,
  hints: Pick<ProviderHints, 'defaultScopes'> = {},
): readonly string[] | undefined {
  const candidates = [challenge?.scope, resourceMetadata?.document.scopes_supported, hints.defaultScopes];
  return candidates.find((scopes) => scopes !== undefined && scopes.length > 0);
}
