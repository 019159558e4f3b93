import type { DiscoveryStrategy } from '@oauth-discovery/core';
import { oidcMetadataUrls } from '@oauth-discovery/core/metadata';
import {
  type AuthorizationServerSearch,
  authorizationServerPrefetch,
  type ClientRegistrationCapabilities,
  findAuthorizationServer,
} from '@oauth-discovery/core/strategy-kit';

/** Options of {@link oidc}. */
export interface OidcOptions {
  /**
   * With no protected resource metadata and no issuer candidate, GET
   * `<resource origin>/.well-known/openid-configuration` and adopt the issuer it names
   * (MCP 2025-03-26 servers that publish only OpenID Connect discovery). Default `true`.
   */
  readonly legacyOriginFallback?: boolean;
  /**
   * How this client can register, to choose among several authorization servers in the protected
   * resource metadata (`chooseAuthorizationServer` in `@oauth-discovery/core`). Default: unset, the
   * first whose metadata validates.
   */
  readonly clientRegistration?: ClientRegistrationCapabilities | undefined;
}

const WELL_KNOWN = '/.well-known/openid-configuration';

/**
 * The {@link AuthorizationServerSearch} of OpenID Connect discovery: for a path issuer, insertion then
 * appending; for an origin-only issuer, the origin's `/.well-known/openid-configuration`. A path
 * issuer is never looked up at the origin root.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-server-metadata-discovery
 */
export function oidcSearch(options: OidcOptions = {}): AuthorizationServerSearch {
  return {
    source: 'oidc',
    urlsFor: (issuer) => oidcMetadataUrls(issuer),
    legacyOriginUrl:
      options.legacyOriginFallback === false ? undefined : (origin) => `${origin}${WELL_KNOWN}`,
    registration: options.clientRegistration,
  };
}

/**
 * OpenID Connect discovery, strategy name `oidc`.
 *
 * For each issuer candidate in order: `<origin>/.well-known/openid-configuration/<path>` (insertion,
 * kind `oidc-insert`), then `<issuer>/.well-known/openid-configuration` (appending, kind
 * `oidc-append`: Keycloak, Entra, Cognito); an origin-only issuer has the one root URL. Candidates'
 * policies may restrict the forms (`metadataUrlKinds`). The issuer check, alias handling, security
 * errors and the MCP 2025-03-26 origin fallback are those of `rfc8414`.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-server-metadata-discovery
 */
export function oidc(options: OidcOptions = {}): DiscoveryStrategy {
  const search = oidcSearch(options);
  return {
    name: 'oidc',
    contributes: ['authorizationServer'],
    run: (ctx) => findAuthorizationServer(ctx, search),
    prefetch: (state) => authorizationServerPrefetch(state, search),
  };
}
