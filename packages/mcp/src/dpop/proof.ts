import { createHash, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { DPoPKey } from './key.js';

/** A request a DPoP proof is made for. */
export interface DPoPProofRequest {
  /** The HTTP method (`htm`). */
  readonly method: string;
  /** The request URL; `htu` is it without query and fragment. */
  readonly url: string | URL;
  /** The access token presented with the proof (`ath`, resource requests). */
  readonly accessToken?: string | undefined;
  /** The server's latest `DPoP-Nonce` for this origin. */
  readonly nonce?: string | undefined;
}

/** `htu`: the request URL without query and fragment (RFC 9449 §4.2). */
export function dpopHtu(url: string | URL): string {
  const parsed = new URL(String(url));
  return `${parsed.origin}${parsed.pathname}`;
}

/** `ath`: base64url SHA-256 of the access token (RFC 9449 §4.2). */
export function dpopAth(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/**
 * A DPoP proof JWT for one request: header `typ: dpop+jwt`, the key's `alg` and public `jwk`; claims
 * `jti` (random, never reused), `htm`, `htu`, `iat`, and `ath` and `nonce` when given.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
export async function createDPoPProof(key: DPoPKey, request: DPoPProofRequest): Promise<string> {
  const claims: Record<string, string> = {
    jti: randomBytes(16).toString('base64url'),
    htm: request.method.toUpperCase(),
    htu: dpopHtu(request.url),
  };
  if (request.accessToken !== undefined) claims.ath = dpopAth(request.accessToken);
  if (request.nonce !== undefined) claims.nonce = request.nonce;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk: key.publicJwk })
    .setIssuedAt()
    .sign(key.keyPair.privateKey);
}
