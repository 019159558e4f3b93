import { generateKeyPair, type JsonWebKey, type KeyObject, verify } from 'node:crypto';

/** One RSA signing key as a private JWK (for oidc-provider's `jwks`) and its public key object. */
export interface SigningKey {
  readonly privateJwk: JsonWebKey & { kid: string; alg: 'RS256'; use: 'sig' };
  readonly publicKey: KeyObject;
}

let shared: Promise<SigningKey> | undefined;

/** A process-wide RS256 key (generated once: RSA generation is slow on a small machine). */
export function signingKey(): Promise<SigningKey> {
  shared ??= new Promise((done, fail) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) => {
      if (error) {
        fail(error);
        return;
      }
      const privateJwk = {
        ...privateKey.export({ format: 'jwk' }),
        kid: 'testkit-rs256',
        alg: 'RS256',
        use: 'sig',
      } as const;
      done({ privateJwk, publicKey });
    });
  });
  return shared;
}

/** Claims of a verified JWT (RFC 9068 access token profile). */
export type JwtClaims = Readonly<Record<string, unknown>>;

/**
 * Verifies an RS256 compact JWT with `publicKey` and returns its claims, or `undefined` when it is not a
 * well-formed, correctly signed, unexpired RS256 JWT.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-5.2
 */
export function verifyRs256(
  token: string,
  publicKey: KeyObject,
  nowSeconds = Date.now() / 1000,
): JwtClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  try {
    const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    if (head.alg !== 'RS256') return undefined;
    const ok = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!ok) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JwtClaims;
    if (typeof claims.exp === 'number' && claims.exp <= nowSeconds) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}
