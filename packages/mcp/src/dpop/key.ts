import { calculateJwkThumbprint, exportJWK, importJWK, type JWK } from 'jose';
import { type CryptoKey, type CryptoKeyPair, randomDPoPKeyPair } from 'openid-client';
import type { DPoPAlgorithm } from './options.js';

/**
 * A DPoP key of this client, as the library uses it: the private key is not extractable (nothing
 * outside the token store can read it), the public key is (it goes into every proof's `jwk` header).
 */
export interface DPoPKey {
  readonly alg: DPoPAlgorithm;
  readonly keyPair: CryptoKeyPair;
  /** The public key as a JWK (the proof's `jwk` header). */
  readonly publicJwk: JWK;
  /** Its RFC 7638 SHA-256 thumbprint: the `cnf.jkt` of the tokens bound to it. */
  readonly jkt: string;
}

/** A DPoP key as the token store keeps it (0600 in the file store). Only the store reads it. */
export interface StoredDPoPKey {
  readonly alg: DPoPAlgorithm;
  readonly privateJwk: JWK;
  readonly createdAt: number;
}

/** Members of a private JWK that are not part of its public key (RFC 7518 §6). */
const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth']);

function publicPart(jwk: JWK): JWK {
  return Object.fromEntries(
    Object.entries(jwk).filter(
      ([name]) => !PRIVATE_MEMBERS.has(name) && name !== 'key_ops' && name !== 'ext',
    ),
  ) as JWK;
}

async function describe(alg: DPoPAlgorithm, keyPair: CryptoKeyPair): Promise<DPoPKey> {
  const publicJwk = publicPart(await exportJWK(keyPair.publicKey));
  return { alg, keyPair, publicJwk, jkt: await calculateJwkThumbprint(publicJwk, 'sha256') };
}

/**
 * A new DPoP key pair (openid-client's `randomDPoPKeyPair`). `extractable` only for a key about to be
 * written to a token store, which reads it back unextractable.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2
 */
export async function generateDPoPKey(alg: DPoPAlgorithm, extractable: boolean): Promise<DPoPKey> {
  return describe(alg, await randomDPoPKeyPair(alg, { extractable }));
}

/** The stored form of an extractable key (for token stores). */
export async function encodeDPoPKey(key: DPoPKey, createdAt = Date.now()): Promise<StoredDPoPKey> {
  return { alg: key.alg, privateJwk: await exportJWK(key.keyPair.privateKey), createdAt };
}

/** A stored key, imported with an unextractable private key (for token stores). */
export async function decodeDPoPKey(stored: StoredDPoPKey): Promise<DPoPKey> {
  const privateKey = (await importJWK(stored.privateJwk, stored.alg, { extractable: false })) as CryptoKey;
  const publicKey = (await importJWK(publicPart(stored.privateJwk), stored.alg, {
    extractable: true,
  })) as CryptoKey;
  return describe(stored.alg, { privateKey, publicKey });
}
