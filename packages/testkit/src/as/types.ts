import type { TokenInfo } from '../token-info.js';
import type { RequestLogEntry } from '../world-types.js';

/** A client known to the authorization server (pre-registered or dynamically registered). */
export interface RegisteredClient {
  readonly client_id: string;
  /** Confidential clients have a secret; public clients (`token_endpoint_auth_method: 'none'`) do not. */
  readonly client_secret?: string;
  /** Exact match, except loopback `http` URIs match on any port (RFC 8252 §7.3). */
  readonly redirect_uris: readonly string[];
  readonly token_endpoint_auth_method?: 'none' | 'client_secret_basic' | 'client_secret_post';
  readonly grant_types?: readonly string[];
  readonly client_name?: string;
}

/** Options of `startAuthorizationServer`. Everything is optional; the defaults are a compliant OAuth 2.1 AS. */
export interface AuthorizationServerOptions {
  /** Loopback address. Default `127.0.0.1`. */
  readonly host?: string;
  /** Path the endpoints hang off (`<origin><basePath>/authorize`, …). Default `''`. */
  readonly basePath?: string;
  /**
   * The `issuer` named in the metadata and in the RFC 9207 `iss` parameter. Default `<origin><basePath>`.
   * Give a function of the origin for a foreign issuer (Atlassian) or one with a different path.
   */
  readonly issuer?: string | ((origin: string) => string);
  /**
   * Paths serving the RFC 8414 metadata. Default: the RFC 8414 URL for the default issuer
   * (`/.well-known/oauth-authorization-server` + `basePath`). `[]` serves none.
   */
  readonly metadataPaths?: readonly string[];
  /** Advertise `code_challenge_methods_supported: ['S256']`. Default `true` (PKCE is still verified). */
  readonly pkceAdvertised?: boolean;
  /** Require PKCE S256 at `/authorize`. Default `true`. */
  readonly requirePkce?: boolean;
  /**
   * `true` (default): open RFC 7591 registration at `/register`. `false`: advertised, but `/register`
   * answers `403 access_denied`. `'unadvertised'`: not in the metadata, `/register` 404.
   */
  readonly registration?: boolean | 'unadvertised';
  /** Pre-registered clients. */
  readonly clients?: readonly RegisteredClient[];
  /** Access token lifetime in seconds (`expires_in`). Default 3600. */
  readonly accessTokenTtlSeconds?: number;
  /** Rotate refresh tokens on use (the old one stops working). Default `true`. */
  readonly rotateRefreshTokens?: boolean;
  /** Every refresh answers `400 invalid_grant` (mutable later through the handle). Default `false`. */
  readonly failRefresh?: boolean;
  /** Force every token request to fail with this RFC 6749 §5.2 error. */
  readonly tokenError?: { readonly error: string; readonly status?: number; readonly description?: string };
  /** Send RFC 9207 `iss` with the authorization response and advertise it. Default `true`. */
  readonly issParameter?: boolean;
  /** `scopes_supported`. */
  readonly scopes?: readonly string[];
  /** Accepted RFC 8707 `resource` values; any other is `invalid_target`. Default: any absolute URL. */
  readonly resources?: readonly string[];
  /** The subject every auto-approved authorization is for. Default `testkit-user`. */
  readonly subject?: string;
  /** Fields merged over the generated metadata document (`undefined` values remove a field). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** What the server remembers about an issued access token. */
export interface IssuedToken extends TokenInfo {
  readonly token: string;
  readonly resource?: string | undefined;
}

/** A running authorization server. */
export interface AuthorizationServerHandle {
  readonly origin: string;
  /** The `issuer` value its metadata names. */
  readonly issuer: string;
  /** First metadata URL (undefined when `metadataPaths: []`). */
  readonly metadataUrl: string | undefined;
  /** The metadata document it serves. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** `origin + path`. */
  url(path: string): string;
  /** In-process token check for `startMcpServer({ verifyToken })`: info for a live access token, else `null`. */
  introspect(token: string): Promise<TokenInfo | null>;
  /** Every request received, in order. */
  readonly requests: readonly RequestLogEntry[];
  /** Number of requests to a path (e.g. `'/token'`). */
  count(path: string): number;
  /** Dynamically registered and pre-registered clients by id. */
  readonly clients: ReadonlyMap<string, RegisteredClient>;
  /** Every access token issued, in order (with its `resource`, for RFC 8707 assertions). */
  readonly issuedTokens: readonly IssuedToken[];
  /** `resource` parameters received at `/authorize` and `/token`, in order. */
  readonly resourcesSeen: readonly string[];
  /** Switch: make every refresh fail (`invalid_grant`). */
  failRefresh: boolean;
  close(): Promise<void>;
}
