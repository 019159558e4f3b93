/**
 * What a resource server knows about a valid access token. `startMcpServer({ verifyToken })` takes a
 * function returning this (or `null`); `startAuthorizationServer().introspect` and
 * `startOidcProvider().verifyAccessToken` produce it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export interface TokenInfo {
  /** `sub`: the account the token was issued for. */
  readonly subject: string;
  /** Granted scopes. */
  readonly scopes: readonly string[];
  /** Expiry, seconds since the epoch. */
  readonly expiresAt: number;
  readonly clientId?: string;
  /** Audiences / RFC 8707 resources the token is for. */
  readonly audience?: readonly string[] | undefined;
  /** For a DPoP-bound token: the thumbprint of its key (`cnf.jkt`, RFC 9449 §6). */
  readonly jkt?: string;
}
