import { randomUUID } from 'node:crypto';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
  SignJWT,
} from 'jose';

/** A signing key of a test server: its private key and its public JWK (with `kid`). */
export interface ServerKey {
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** A fresh ES256 key pair with a random `kid`. */
export async function serverKey(): Promise<ServerKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const publicJwk = { ...(await exportJWK(publicKey)), kid: randomUUID(), alg: 'ES256', use: 'sig' };
  return { privateKey, publicJwk };
}

/** What {@link signJwt} puts in the header and the time claims. */
export interface SignOptions {
  /** The `typ` header (e.g. `oauth-id-jag+jwt`). */
  readonly typ?: string | undefined;
  /** Seconds until `exp`; negative for an expired token. Default 300. */
  readonly expiresIn?: number | undefined;
  /** `jti`. Default: a random UUID; `null` for none. */
  readonly jti?: string | null | undefined;
}

/** Signs `claims` with `key` (ES256, its `kid`), adding `iat`, `exp` and `jti`. */
export function signJwt(key: ServerKey, claims: JWTPayload, options: SignOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jti = options.jti === undefined ? randomUUID() : options.jti;
  const header: JWTHeaderParameters = { alg: 'ES256', kid: key.publicJwk.kid as string };
  if (options.typ !== undefined) header.typ = options.typ;
  const jwt = new SignJWT(claims)
    .setProtectedHeader(header)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 300));
  if (jti !== null) jwt.setJti(jti);
  return jwt.sign(key.privateKey);
}
