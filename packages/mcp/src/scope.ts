/** The union of space-separated scopes, in first-seen order; `undefined` when empty. */
export function scopeUnion(...scopes: (string | undefined)[]): string | undefined {
  const all = new Set(scopes.flatMap((scope) => (scope ?? '').split(' ').filter((s) => s !== '')));
  return all.size === 0 ? undefined : [...all].join(' ');
}

/**
 * MCP 2026-07-28 (SEP-2207): `offline_access` is requested only when the authorization server lists
 * it in `scopes_supported`; a resource's challenge or PRM naming it does not make the server support it.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/authorization#scope-selection-strategy
 */
export function withoutUnlistedOfflineAccess(
  scope: string | undefined,
  asScopesSupported: readonly string[] | undefined,
): string | undefined {
  if (scope === undefined || asScopesSupported?.includes('offline_access') === true) return scope;
  const kept = scope.split(' ').filter((s) => s !== '' && s !== 'offline_access');
  return kept.length === 0 ? undefined : kept.join(' ');
}
