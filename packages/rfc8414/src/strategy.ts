import type { DiscoveryStrategy } from '@oauth-discovery/core';
import { oauthMetadataUrl } from '@oauth-discovery/core/metadata';
import {
  type AuthorizationServerSearch,
  authorizationServerPrefetch,
  type ClientRegistrationCapabilities,
  findAuthorizationServer,
} from '@oauth-discovery/core/strategy-kit';

/** Options of {@link rfc8414}. */
export interface Rfc8414Options {
  /**
   * With no protected resource metadata and no issuer candidate, GET
   * `<resource origin>/.well-known/oauth-authorization-server` and adopt the issuer it names
   * (MCP 2025-03-26, still served by Atlassian's v1 endpoint). Default `true`.
   */
  readonly legacyOriginFallback?: boolean;
  /**
   * How this client can register, to choose among several authorization servers in the protected
   * resource metadata (`chooseAuthorizationServer` in `@oauth-discovery/core`). Default: unset, the
   * first whose metadata validates.
   */
  readonly clientRegistration?: ClientRegistrationCapabilities | undefined;
}

const WELL_KNOWN = '/.well-known/oauth-authorization-server';

/**
 * The {@link AuthorizationServerSearch} of RFC 8414: one path-inserted URL per issuer, and the
 * legacy origin URL unless turned off.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.1
 */
export function rfc8414Search(options: Rfc8414Options = {}): AuthorizationServerSearch {
  return {
    source: 'rfc8414',
    urlsFor: (issuer) => [{ url: oauthMetadataUrl(issuer), kind: 'oauth' }],
    legacyOriginUrl:
      options.legacyOriginFallback === false ? undefined : (origin) => `${origin}${WELL_KNOWN}`,
    registration: options.clientRegistration,
  };
}

/**
 * RFC 8414 authorization server metadata discovery, strategy name `rfc8414`.
 *
 * For each issuer candidate in order, GETs `/.well-known/oauth-authorization-server` inserted before
 * the issuer's path (skipping candidates whose policy's `metadataUrlKinds` excludes `oauth`) and
 * checks that the document names that issuer (RFC 8414 §3.3) or an alias pinned by a preset or static
 * configuration. A miss moves on to the next candidate; `ISSUER_MISMATCH` stops discovery. With no
 * candidate and no protected resource metadata it falls back to the resource's origin and adopts the
 * issuer found there (MCP 2025-03-26), saying so in the trace.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 * @see https://modelcontextprotocol.io/specification/2025-03-26/basic/authorization#2-3-2-authorization-server-metadata-discovery
 */
export function rfc8414(options: Rfc8414Options = {}): DiscoveryStrategy {
  const search = rfc8414Search(options);
  return {
    name: 'rfc8414',
    contributes: ['authorizationServer'],
    run: (ctx) => findAuthorizationServer(ctx, search),
    prefetch: (state) => authorizationServerPrefetch(state, search),
  };
}
