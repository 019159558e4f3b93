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

/** A grant a session can run instead of the authorization code flow. */
export type GrantOptions = ClientCredentialsGrantOptions;
