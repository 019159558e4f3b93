import type { DPoPKey } from '../dpop/key.js';

/**
 * Which authorization server stored credentials belong to, as far as it was verified. Build it with
 * `issuerBinding(result.authorizationServer)`; never from an issuer string alone.
 */
export interface IssuerBinding {
  /** The authorization server's issuer identifier. */
  readonly issuer: string;
  /** The token endpoint a client registration (and its secret) may be used with (`''`: none). */
  readonly tokenEndpoint: string;
  /**
   * Set when the issuer was not verified (`adopted`, `guessed`): the origin whose metadata claimed it.
   * Records of such an issuer live apart from those of a verified issuer with the same string.
   */
  readonly unverifiedOrigin?: string;
}

/** Which authorization server and which protected resource a stored value belongs to (see `storeKey`). */
export interface StoreKey {
  /** The protected resource (MCP server URL) as discovery normalised it. */
  readonly resource: string;
  /** The authorization server's issuer identifier. */
  readonly issuer: string;
  /** As in {@link IssuerBinding}: set for an unverified issuer, whose records live apart. */
  readonly unverifiedOrigin?: string;
}

/**
 * Tokens as stored. Times are epoch milliseconds, so a stored token knows when it expires no matter
 * when it is read back.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export interface StoredTokens {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly refreshToken?: string | undefined;
  /** When the access token expires (from `expires_in`); absent when the server did not say. */
  readonly expiresAt?: number | undefined;
  /** Granted scope (space separated), or the requested one when the server did not echo it. */
  readonly scope?: string | undefined;
  readonly idToken?: string | undefined;
  readonly obtainedAt: number;
  /** For a DPoP-bound token (`tokenType` `DPoP`): the thumbprint (`cnf.jkt`) of the key it is bound to. */
  readonly dpopJkt?: string | undefined;
  /**
   * Set when a refresh was refused. The refresh token is kept (never deleted), but it is not tried
   * again automatically; the user is told to log in. A successful login replaces the whole record.
   */
  readonly refreshFailed?: { readonly at: number; readonly error: string; readonly message: string };
}

/** How a client id was obtained, in the MCP registration order. */
export type ClientSource = 'preregistered' | 'metadata-document' | 'dynamic';

/**
 * A client registration with one authorization server (MCP: registration state is kept per
 * authorization server).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1
 */
export interface StoredClient {
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
  /** Epoch ms; `0` or absent means the secret does not expire (RFC 7591 `client_secret_expires_at`). */
  readonly clientSecretExpiresAt?: number | undefined;
  /** The token endpoint authentication method the server registered (RFC 7591 §2). */
  readonly tokenEndpointAuthMethod?: string | undefined;
  /** Redirect URIs this registration is valid for (dynamic registrations only). */
  readonly redirectUris?: readonly string[] | undefined;
  readonly source: ClientSource;
  readonly registeredAt: number;
}

/**
 * An authorization request in flight: what is needed to finish it and to check its response. The
 * issuer is recorded before the user is redirected (MCP 2026-07-28, RFC 9207 mix-up defence).
 */
export interface PendingAuthorization {
  readonly state: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  readonly issuer: string;
  readonly resource: string;
  readonly scope?: string | undefined;
  readonly createdAt: number;
}

/**
 * Where tokens, client registrations and in-flight authorizations live. Tokens and pending
 * authorizations are keyed by resource and issuer; client registrations by issuer and token endpoint.
 * An unverified issuer's records (`unverifiedOrigin`) are kept apart from a verified one's.
 * Implementations must never delete a refresh token on their own.
 */
export interface TokenStore {
  readTokens(key: StoreKey): Promise<StoredTokens | undefined>;
  writeTokens(key: StoreKey, tokens: StoredTokens): Promise<void>;
  /** Deletes the tokens of one resource and issuer, or of one resource with every issuer. Returns how many records went. */
  deleteTokens(key: StoreKey | { readonly resource: string }): Promise<number>;
  /** The registration stored for exactly this binding (a different token endpoint reads nothing). */
  readClient(binding: IssuerBinding): Promise<StoredClient | undefined>;
  writeClient(binding: IssuerBinding, client: StoredClient): Promise<void>;
  deleteClient(binding: IssuerBinding): Promise<void>;
  readPending(key: StoreKey): Promise<PendingAuthorization | undefined>;
  writePending(key: StoreKey, pending: PendingAuthorization): Promise<void>;
  deletePending(key: StoreKey): Promise<void>;
  /**
   * The DPoP key of an authorization server (issuer and, when unverified, its claiming origin; the
   * token endpoint does not matter): one key per issuer, reused across refreshes and logins.
   * Its private key is not extractable. Optional: a store without it keeps DPoP keys in memory, for
   * one session.
   *
   * @see https://www.rfc-editor.org/rfc/rfc9449#section-2
   */
  readDPoPKey?(binding: Pick<IssuerBinding, 'issuer' | 'unverifiedOrigin'>): Promise<DPoPKey | undefined>;
  /** Stores an extractable DPoP key (read it back with `readDPoPKey`). It is never written anywhere else. */
  writeDPoPKey?(binding: Pick<IssuerBinding, 'issuer' | 'unverifiedOrigin'>, key: DPoPKey): Promise<void>;
}
