import { DiscoveryError, ErrorCodes } from '../errors.js';
import { requireHttpUrl } from '../http/url-policy.js';
import type { MetadataUrlKind } from '../types.js';

const PRM_SUFFIX = '/.well-known/oauth-protected-resource';
const OAUTH_SUFFIX = '/.well-known/oauth-authorization-server';
const OIDC_SUFFIX = '/.well-known/openid-configuration';

/** One candidate URL of authorization server metadata and how it was built. */
export interface MetadataUrlCandidate {
  readonly url: string;
  /**
   * `oauth`: RFC 8414 §3.1 insertion of `/.well-known/oauth-authorization-server`; `oidc-insert`:
   * insertion of `/.well-known/openid-configuration` (MCP 2025-11-25); `oidc-append`: OIDC Discovery
   * §4.1 appending of `/.well-known/openid-configuration`.
   */
  readonly kind: MetadataUrlKind;
}

/** An issuer's path without its terminating `/` (`''` for an origin-only issuer). */
function issuerPath(issuer: string | URL): { origin: string; path: string } {
  const url = requireHttpUrl(issuer, 'Issuer');
  if (url.search !== '' || url.hash !== '' || String(issuer).includes('?') || String(issuer).includes('#')) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_URL,
      `Issuer ${JSON.stringify(String(issuer))} has a query or fragment, which RFC 8414 §2 forbids`,
      { url: String(issuer), expected: 'an issuer without query or fragment', actual: String(issuer) },
    );
  }
  const path = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  return { origin: url.origin, path };
}

/**
 * The well-known URLs of a resource's protected resource metadata, in the order to try them
 * (MCP 2025-11-25): the path-aware URL, then the root.
 *
 * `pathAware` inserts `/.well-known/oauth-protected-resource` between the host and the path and query
 * of the resource, keeping both exactly (a trailing `/` is kept: `https://x/mcp/` →
 * `https://x/.well-known/oauth-protected-resource/mcp/`). It is `null` when the resource has neither a
 * path (other than `/`) nor a query, since it would equal `root`. `root` is
 * `<origin>/.well-known/oauth-protected-resource`. The resource's fragment is ignored.
 *
 * @throws {DiscoveryError} `INVALID_URL` when `resource` is not an absolute http(s) URL.
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.1
 */
export function protectedResourceMetadataUrls(resource: string | URL): {
  pathAware: string | null;
  root: string;
} {
  const url = requireHttpUrl(resource, 'Resource');
  const root = `${url.origin}${PRM_SUFFIX}`;
  const path = url.pathname === '/' ? '' : url.pathname;
  if (path === '' && url.search === '') return { pathAware: null, root };
  return { pathAware: `${root}${path}${url.search}`, root };
}

/**
 * The RFC 8414 metadata URL of an issuer: `/.well-known/oauth-authorization-server` inserted between
 * the host and the path, after removing the path's terminating `/`.
 *
 * @throws {DiscoveryError} `INVALID_URL` when `issuer` is not an absolute http(s) URL without query or fragment.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.1
 */
export function oauthMetadataUrl(issuer: string | URL): string {
  const { origin, path } = issuerPath(issuer);
  return `${origin}${OAUTH_SUFFIX}${path}`;
}

/**
 * The OpenID Connect discovery URLs of an issuer, in MCP 2025-11-25 order. For an issuer with a path:
 * insertion (`<origin>/.well-known/openid-configuration/<path>`, kind `oidc-insert`), then appending
 * (`<issuer>/.well-known/openid-configuration`, kind `oidc-append`: Keycloak, Entra, Cognito). For an
 * origin-only issuer both forms are the same URL, returned once with kind `oidc-append`.
 *
 * @throws {DiscoveryError} `INVALID_URL` when `issuer` is not an absolute http(s) URL without query or fragment.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-server-metadata-discovery
 */
export function oidcMetadataUrls(issuer: string | URL): MetadataUrlCandidate[] {
  const { origin, path } = issuerPath(issuer);
  if (path === '') return [{ url: `${origin}${OIDC_SUFFIX}`, kind: 'oidc-append' }];
  return [
    { url: `${origin}${OIDC_SUFFIX}${path}`, kind: 'oidc-insert' },
    { url: `${origin}${path}${OIDC_SUFFIX}`, kind: 'oidc-append' },
  ];
}

/**
 * Every well-known URL of an issuer's authorization server metadata, in MCP 2025-11-25 order.
 * Issuer with a path: OAuth insertion, OIDC insertion, OIDC appending. Origin-only issuer: OAuth, then
 * OIDC. A path issuer's metadata is never looked up at the origin's root.
 *
 * @throws {DiscoveryError} `INVALID_URL` when `issuer` is not an absolute http(s) URL without query or fragment.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-server-metadata-discovery
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.1
 */
export function authorizationServerMetadataUrls(issuer: string | URL): MetadataUrlCandidate[] {
  return [{ url: oauthMetadataUrl(issuer), kind: 'oauth' }, ...oidcMetadataUrls(issuer)];
}
