import type { AuthorizationServerFound, DiscoveryResult, IssuerCheck } from '@oauth-discovery/core';
import type { IssuerBinding, StoreKey } from './types.js';

/**
 * Issuer checks that tie the issuer string to the server that published the metadata: RFC 8414 §3.3
 * (`exact`), an alias pinned by a preset or static configuration (`alias`), metadata the operator
 * configured (`configured`). `adopted` (the legacy origin fallback takes whatever issuer the resource's
 * origin names) and `guessed` (default endpoints) verified nothing.
 */
const VERIFIED_CHECKS: ReadonlySet<IssuerCheck> = new Set<IssuerCheck>(['exact', 'alias', 'configured']);

/** Whether an issuer accepted with this check was verified (see {@link issuerBinding}). */
export function isVerifiedIssuer(check: IssuerCheck): boolean {
  return VERIFIED_CHECKS.has(check);
}

function originOf(url: string): string {
  return URL.parse(url)?.origin ?? url;
}

/**
 * What stored credentials of an authorization server are bound to — the one rule every reader and writer
 * of client registrations and tokens uses (this package's flows and the aggregator):
 *
 * 1. the issuer string;
 * 2. for an issuer that was not verified (`adopted`, `guessed`), the origin whose metadata claimed it:
 *    such records live apart and never read or overwrite those of a verified issuer with the same string
 *    (a server without PRM naming a legitimate issuer at its origin gets nothing of that issuer's);
 * 3. the token endpoint: a client registration (and its secret) is only used with the token endpoint
 *    it was stored for.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4
 */
export function issuerBinding(authorizationServer: AuthorizationServerFound): IssuerBinding {
  const tokenEndpoint = authorizationServer.metadata.token_endpoint ?? '';
  if (isVerifiedIssuer(authorizationServer.issuerCheck)) {
    return { issuer: authorizationServer.issuer, tokenEndpoint };
  }
  const claimedBy = authorizationServer.metadataUrl ?? (tokenEndpoint || authorizationServer.issuer);
  return { issuer: authorizationServer.issuer, tokenEndpoint, unverifiedOrigin: originOf(claimedBy) };
}

/**
 * The part of a binding that names a record: the issuer alone when verified, else the claiming origin
 * and the issuer. Also a key for in-memory maps (e.g. one registration request in flight per binding).
 */
export function bindingScope(binding: {
  readonly issuer: string;
  readonly unverifiedOrigin?: string | undefined;
}): string {
  return binding.unverifiedOrigin === undefined
    ? binding.issuer
    : `unverified\n${binding.unverifiedOrigin}\n${binding.issuer}`;
}

/**
 * The store key of a discovery result's tokens and in-flight authorization: the resource and the
 * issuer, plus the claiming origin of an unverified issuer (see {@link issuerBinding}).
 */
export function storeKey(result: DiscoveryResult): StoreKey {
  const { issuer, unverifiedOrigin } = issuerBinding(result.authorizationServer);
  return unverifiedOrigin === undefined
    ? { resource: result.resource, issuer }
    : { resource: result.resource, issuer, unverifiedOrigin };
}
