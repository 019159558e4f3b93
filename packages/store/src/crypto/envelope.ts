import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import type { Keyring, StoreKey } from './keyring.js';

/**
 * An encrypted value as stored: JSON with the format version, the algorithm, the key id and key
 * check value, a fresh 96-bit IV, the ciphertext and the 128-bit GCM tag (base64url).
 */
interface Envelope {
  readonly v: 1;
  readonly alg: 'A256GCM';
  readonly kid: string;
  readonly kcv: string;
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

/**
 * The associated data: the format, the key id and the record's store key. The GCM tag covers them,
 * so a ciphertext copied to another store key, or relabelled with another key id, fails to decrypt.
 */
function associatedData(keyId: string, storeKey: string): Buffer {
  return Buffer.from(`oauth-discovery/store v1\0${keyId}\0${storeKey}`, 'utf8');
}

/**
 * Encrypts `plaintext` for the record at `storeKey` with the keyring's current key (AES-256-GCM,
 * random IV, associated data binding the key id and the store key).
 *
 * @see https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf (NIST SP 800-38D)
 */
export function encryptValue(keyring: Keyring, storeKey: string, plaintext: string): string {
  const { id, key, check } = keyring.current;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(id, storeKey));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const envelope: Envelope = {
    v: 1,
    alg: 'A256GCM',
    kid: id,
    kcv: check,
    iv: iv.toString('base64url'),
    ct: ct.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
  };
  return JSON.stringify(envelope);
}

function tampered(storeKey: string, why: string): DiscoveryError {
  return new DiscoveryError(ErrorCodes.STORE_TAMPERED, `store: the record "${storeKey}" ${why}`, {
    expected: 'an authentic encrypted record',
    actual: why,
  });
}

function parseEnvelope(storeKey: string, stored: string): Envelope {
  let parsed: Partial<Envelope> | null;
  try {
    parsed = JSON.parse(stored) as Partial<Envelope> | null;
  } catch {
    throw tampered(storeKey, 'is not an encrypted record (not JSON)');
  }
  const strings = ['kid', 'kcv', 'iv', 'ct', 'tag'] as const;
  if (
    parsed === null ||
    typeof parsed !== 'object' ||
    parsed.v !== 1 ||
    parsed.alg !== 'A256GCM' ||
    strings.some((field) => typeof parsed?.[field] !== 'string')
  ) {
    throw tampered(storeKey, 'is not an encrypted record of format 1');
  }
  return parsed as Envelope;
}

/** The key id an encrypted value was written with. @throws {DiscoveryError} `STORE_TAMPERED` when it is not an envelope. */
export function keyIdOf(storeKey: string, stored: string): string {
  return parseEnvelope(storeKey, stored).kid;
}

/**
 * Decrypts a value written by {@link encryptValue} for the record at `storeKey`, with the key its
 * key id names (any key of the keyring, not only the current one).
 *
 * @throws {DiscoveryError} `STORE_KEY_MISSING` when the keyring has no key of that id;
 *   `STORE_WRONG_KEY` when it has that id with other key material; `STORE_TAMPERED` when the value
 *   is not an envelope, or authentication fails (changed bytes, or moved from another store key).
 */
export function decryptValue(keyring: Keyring, storeKey: string, stored: string): string {
  const envelope = parseEnvelope(storeKey, stored);
  const key: StoreKey | undefined = keyring.keys.get(envelope.kid);
  if (key === undefined) {
    throw new DiscoveryError(
      ErrorCodes.STORE_KEY_MISSING,
      `store: the record "${storeKey}" was encrypted with the key "${envelope.kid}", which the keyring does not have`,
      { expected: [...keyring.keys.keys()], actual: envelope.kid },
    );
  }
  if (key.check !== envelope.kcv) {
    throw new DiscoveryError(
      ErrorCodes.STORE_WRONG_KEY,
      `store: the keyring's key "${envelope.kid}" is not the key the record "${storeKey}" was encrypted with`,
      { expected: envelope.kcv, actual: key.check },
    );
  }
  const iv = Buffer.from(envelope.iv, 'base64url');
  const tag = Buffer.from(envelope.tag, 'base64url');
  if (iv.length !== 12 || tag.length !== 16) throw tampered(storeKey, 'has a malformed IV or tag');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv, { authTagLength: 16 });
    decipher.setAAD(associatedData(envelope.kid, storeKey));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw tampered(storeKey, 'failed authentication (changed, or moved from another key)');
  }
}
