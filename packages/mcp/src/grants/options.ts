/**
 * The OAuth 2.0 client credentials grant of a machine client (MCP extension
 * `io.modelcontextprotocol/oauth-client-credentials`): no user, no browser. The client authenticates
 * with a secret (`client_secret_basic` or `client_secret_post`, as the authorization server supports)
 * or with a private key (`private_key_jwt`, RFC 7523) — exactly one of the two.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export interface ClientCredentialsGrantOptions {
  readonly type: 'client_credentials';
  /** The client id registered with the authorization server. */
  readonly clientId: string;
  /** The client secret (read it from the environment or a file, never from argv). */
  readonly clientSecret?: string | undefined;
  /** A PEM private key (PKCS #8, PKCS #1 or SEC 1) for `private_key_jwt`. */
  readonly privateKey?: string | undefined;
  /** The assertion's JWS algorithm (`ES256`, `RS256`, `EdDSA`, …). Default: the key's own. */
  readonly signingAlgorithm?: string | undefined;
  /** `kid` of the assertion's header, when the authorization server needs it to pick the key. */
  readonly keyId?: string | undefined;
  /**
   * The issuer these credentials were issued by. When given, they are only ever sent to that issuer's
   * token endpoint. Without it, they go to the first verified issuer this session discovers and to no
   * other. An issuer that was not verified (RFC 8414 §3.3) never gets them.
   */
  readonly issuer?: string | undefined;
  /**
   * When to run the grant: `always` (default), or `without-authorization-code` — only when the
   * authorization server's `grant_types_supported` lists `client_credentials` and not
   * `authorization_code`; otherwise the usual authorization code flow runs (with `clientId` /
   * `clientSecret` of the provider options).
   */
  readonly when?: 'always' | 'without-authorization-code' | undefined;
}

/**
 * Where a token comes from, read again on every grant (workload tokens rotate): a file (e.g. a
 * projected Kubernetes service-account token), an environment variable, a value, or a function.
 * Surrounding whitespace is removed.
 */
export type TokenSource =
  | { readonly file: string }
  | { readonly env: string }
  | { readonly value: string }
  | (() => string | Promise<string>);

/**
 * How a client authenticates at a token endpoint: a secret, a PEM private key (`private_key_jwt`),
 * or neither (a public client: its id in the body, RFC 6749 §2.3).
 */
export interface GrantClient {
  /** The client id registered with the authorization server. */
  readonly clientId?: string | undefined;
  /** The client secret (read it from the environment or a file, never from argv). */
  readonly clientSecret?: string | undefined;
  /** A PEM private key (PKCS #8, PKCS #1 or SEC 1) for `private_key_jwt`. */
  readonly privateKey?: string | undefined;
  /** The assertion's JWS algorithm. Default: the key's own. */
  readonly signingAlgorithm?: string | undefined;
  /** `kid` of the client assertion's header. */
  readonly keyId?: string | undefined;
}

/**
 * Workload identity federation (MCP extension `io.modelcontextprotocol/auth/wif`, SEP-1933): the
 * RFC 7523 JWT-bearer grant with a token the workload's platform issued (a Kubernetes
 * service-account token, a cloud's identity token, a CI job's OIDC token), read from its source on
 * every grant. A refusal (`invalid_grant`, `invalid_scope`, `unauthorized_client`) is final: no
 * retry, no other grant.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 */
export interface JwtBearerGrantOptions extends GrantClient {
  readonly type: 'jwt-bearer';
  /** The workload's JWT, sent as `assertion`. */
  readonly assertion: TokenSource;
  /** The issuer of the MCP server's authorization server (see {@link ClientCredentialsGrantOptions.issuer}). */
  readonly issuer?: string | undefined;
}

/** The enterprise identity provider of {@link TokenExchangeGrantOptions}, and the client there. */
export interface EnterpriseIdpOptions extends GrantClient {
  /** The IdP's token endpoint (its metadata's `token_endpoint`). */
  readonly tokenEndpoint: string;
  /** The IdP's issuer (the `iss` of its ID tokens). Default: the token endpoint's origin. */
  readonly issuer?: string | undefined;
  /** This client's id at the IdP (the `aud` of the user's ID token). */
  readonly clientId: string;
}

/**
 * Enterprise-managed authorization (MCP extension
 * `io.modelcontextprotocol/enterprise-managed-authorization`, SEP-990): the user's ID token is
 * exchanged at the enterprise IdP for an ID-JAG (RFC 8693 token exchange, `audience` the MCP
 * server's authorization server, `resource` the MCP server), which is then presented to that
 * authorization server in the RFC 7523 JWT-bearer grant. No browser.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 */
export interface TokenExchangeGrantOptions extends GrantClient {
  readonly type: 'token-exchange';
  /** The client id at the MCP server's authorization server (the ID-JAG names it). */
  readonly clientId: string;
  /** The enterprise IdP and this client's registration there. */
  readonly idp: EnterpriseIdpOptions;
  /** The user's ID token from the IdP (RFC 8693 `subject_token`). */
  readonly idToken: TokenSource;
  /** The issuer of the MCP server's authorization server (see {@link ClientCredentialsGrantOptions.issuer}). */
  readonly issuer?: string | undefined;
}

/** A grant a session can run instead of the authorization code flow. */
export type GrantOptions = ClientCredentialsGrantOptions | JwtBearerGrantOptions | TokenExchangeGrantOptions;
