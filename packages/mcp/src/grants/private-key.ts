import { createPrivateKey, type KeyObject, webcrypto } from 'node:crypto';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import type { CryptoKey } from 'openid-client';

/** JWS algorithms a client assertion can be signed with (RFC 7518 §3.1). */
export type AssertionAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA';

const ALGORITHMS: ReadonlySet<string> = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
]);

const EC_ALGORITHMS: Readonly<Record<string, AssertionAlgorithm>> = {
  prime256v1: 'ES256',
  'P-256': 'ES256',
  secp384r1: 'ES384',
  'P-384': 'ES384',
  secp521r1: 'ES512',
  'P-521': 'ES512',
};

const CURVES: Readonly<Record<string, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

function invalidKey(message: string, actual: unknown, cause?: unknown): DiscoveryError {
  return new DiscoveryError(ErrorCodes.INVALID_CONFIG, message, {
    expected: 'a PEM private key (RSA, EC P-256/384/521 or Ed25519) matching the signing algorithm',
    actual,
    cause,
  });
}

/** The algorithm a key signs with when none is given: RS256 for RSA, ES* by curve, EdDSA for Ed25519. */
function algorithmOf(key: KeyObject): AssertionAlgorithm {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return 'RS256';
  if (type === 'rsa-pss') return 'PS256';
  if (type === 'ed25519') return 'EdDSA';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const alg = type === 'ec' && curve !== undefined ? EC_ALGORITHMS[curve] : undefined;
  if (alg === undefined)
    throw invalidKey(`Unsupported private key type ${type ?? 'unknown'} ${curve ?? ''}`.trim(), type);
  return alg;
}

function importParams(
  alg: AssertionAlgorithm,
): webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm {
  if (alg === 'EdDSA') return { name: 'Ed25519' };
  const hash = `SHA-${alg.slice(2)}`;
  if (alg.startsWith('RS')) return { name: 'RSASSA-PKCS1-v1_5', hash };
  if (alg.startsWith('PS')) return { name: 'RSA-PSS', hash };
  return { name: 'ECDSA', namedCurve: CURVES[alg] as string };
}

/** A client's signing key, ready for openid-client's `PrivateKeyJwt`. */
export interface AssertionKey {
  readonly key: CryptoKey;
  readonly algorithm: AssertionAlgorithm;
  readonly kid?: string | undefined;
}

/**
 * Imports a PEM private key (PKCS #8, PKCS #1 or SEC 1) for signing RFC 7523 client assertions. The
 * algorithm is the given one, else the key's own (RSA → RS256, EC → ES256/384/512 by curve, Ed25519 →
 * EdDSA). The key is not extractable.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` for a key that does not parse, a public key, an unsupported
 *   type, or an algorithm the key cannot sign with.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.1
 */
export async function importAssertionKey(
  pem: string,
  algorithm?: string | undefined,
  kid?: string | undefined,
): Promise<AssertionKey> {
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(pem);
  } catch (cause) {
    throw invalidKey('The private key is not a PEM private key', 'unparsable key', cause);
  }
  if (algorithm !== undefined && !ALGORITHMS.has(algorithm)) {
    throw invalidKey(`Unsupported client assertion algorithm ${algorithm}`, algorithm);
  }
  const alg = (algorithm ?? algorithmOf(keyObject)) as AssertionAlgorithm;
  const der = keyObject.export({ format: 'der', type: 'pkcs8' });
  try {
    const key = await webcrypto.subtle.importKey('pkcs8', der, importParams(alg), false, ['sign']);
    return { key: key as CryptoKey, algorithm: alg, kid };
  } catch (cause) {
    throw invalidKey(
      `The private key (${keyObject.asymmetricKeyType ?? 'unknown'}) cannot sign with ${alg}`,
      alg,
      cause,
    );
  }
}
