import type { World } from './world-types.js';

/** Options for {@link authorizationServerMetadata}. */
export interface AuthorizationServerMetadataOptions {
  /** The `issuer` value the document names. */
  readonly issuer: string;
  /** Base URL the endpoints hang off (default: the issuer). `/authorize`, `/token`, `/register` are appended. */
  readonly endpointBase?: string;
  /** Include `registration_endpoint` (default `true`). */
  readonly registration?: boolean;
  /** `code_challenge_methods_supported`; `null` omits the field (default `['S256']`). */
  readonly codeChallengeMethods?: readonly string[] | null;
  /** `scopes_supported`, omitted when not given. */
  readonly scopes?: readonly string[];
  /** Fields merged over the generated ones (explicit endpoints, extra quirks). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * A realistic RFC 8414 authorization server metadata document.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function authorizationServerMetadata(
  options: AuthorizationServerMetadataOptions,
): Record<string, unknown> {
  const base = (options.endpointBase ?? options.issuer).replace(/\/$/, '');
  const methods = options.codeChallengeMethods === undefined ? ['S256'] : options.codeChallengeMethods;
  return {
    issuer: options.issuer,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    ...(options.registration === false ? {} : { registration_endpoint: `${base}/register` }),
    revocation_endpoint: `${base}/revoke`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    ...(methods === null ? {} : { code_challenge_methods_supported: [...methods] }),
    scopes_supported: options.scopes?.slice(),
    ...options.extra,
  };
}

/**
 * A realistic OpenID Connect discovery document (the RFC 8414 fields plus the OIDC required ones).
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export function openIdConfiguration(options: AuthorizationServerMetadataOptions): Record<string, unknown> {
  const base = (options.endpointBase ?? options.issuer).replace(/\/$/, '');
  return authorizationServerMetadata({
    ...options,
    scopes: options.scopes ?? ['openid', 'profile', 'email', 'offline_access'],
    extra: {
      jwks_uri: `${base}/jwks`,
      userinfo_endpoint: `${base}/userinfo`,
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'name', 'email'],
      ...options.extra,
    },
  });
}

/**
 * A protected resource metadata document.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-2
 */
export function protectedResourceMetadata(
  resource: string,
  authorizationServers: readonly string[],
  scopes?: readonly string[],
): Record<string, unknown> {
  return {
    resource,
    authorization_servers: [...authorizationServers],
    scopes_supported: scopes?.slice(),
    bearer_methods_supported: ['header'],
    resource_name: 'testkit MCP server',
  };
}

/** Path-aware PRM location for a resource path (`/.well-known/oauth-protected-resource` + path). */
export function prmPath(resourcePath: string): string {
  return resourcePath === '/'
    ? '/.well-known/oauth-protected-resource'
    : `/.well-known/oauth-protected-resource${resourcePath}`;
}

/** A 401 route for the protected resource; `challenge` `undefined` sends no `WWW-Authenticate` at all. */
export function unauthorized(challenge: string | ((world: World) => string) | undefined) {
  return {
    status: 401,
    json: { error: 'unauthorized' },
    headers: challenge === undefined ? undefined : { 'www-authenticate': challenge },
  };
}

/** `Bearer resource_metadata="<url>"` plus optional extra parameters. */
export function resourceMetadataChallenge(url: string, extra = ''): string {
  return `Bearer resource_metadata="${url}"${extra}`;
}
