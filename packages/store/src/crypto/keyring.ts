import { createHmac } from 'node:crypto';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';

/** One AES-256 key of a keyring. */
export interface StoreKey {
  /** The key id stored with every record it encrypts: 1–64 of `A–Z a–z 0–9 . _ -`. Never reuse an id for a new key. */
  readonly id: string;
  /** The 32 key bytes. */
  readonly key: Uint8Array;
  /** Key check value: a short HMAC of a constant under the key, stored with records to tell a wrong key from tampering. */
  readonly check: string;
}

/**
 * The keys of an encrypted store: `current` encrypts every write; every key (current included)
 * decrypts. Rotation: add a new key as current, keep the old ones until no record uses them.
 */
export interface Keyring {
  readonly current: StoreKey;
  readonly keys: ReadonlyMap<string, StoreKey>;
}

/** A key as configured: its id and its 32 bytes, as base64 (standard or URL-safe) or raw bytes. */
export interface KeyInput {
  readonly id: string;
  readonly key: string | Uint8Array;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const CHECK_LABEL = 'oauth-discovery/store key check v1';

function configError(message: string, actual?: unknown): DiscoveryError {
  return new DiscoveryError(ErrorCodes.INVALID_CONFIG, message, {
    expected: 'a valid store keyring',
    actual,
  });
}

function keyBytes(input: KeyInput, source: string): Uint8Array {
  if (typeof input.key !== 'string') return new Uint8Array(input.key);
  const text = input.key.trim();
  if (!BASE64.test(text)) {
    throw configError(
      `${source}: the key "${input.id}" is not base64 (generate one with: openssl rand -base64 32)`,
    );
  }
  return new Uint8Array(Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

/**
 * Builds a {@link Keyring}: the first key is the current one (it encrypts new writes) unless
 * `current` names another. Key material never appears in error messages.
 *
 * @param source What to name in error messages (an environment variable or a file).
 * @throws {DiscoveryError} `INVALID_CONFIG` for no keys, a bad or duplicate key id, a key that is
 *   not exactly 32 bytes, or a `current` id that is not in the list.
 * @see https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf (AES-GCM, NIST SP 800-38D)
 */
export function createKeyring(
  keys: readonly KeyInput[],
  current?: string,
  source = 'store keyring',
): Keyring {
  if (!Array.isArray(keys) || keys.length === 0) throw configError(`${source}: no keys`, 0);
  const map = new Map<string, StoreKey>();
  for (const input of keys) {
    if (typeof input?.id !== 'string' || !KEY_ID.test(input.id)) {
      throw configError(`${source}: a key id must be 1–64 of A–Z a–z 0–9 . _ -`, input?.id);
    }
    if (map.has(input.id)) throw configError(`${source}: the key id "${input.id}" appears twice`, input.id);
    const key = keyBytes(input, source);
    if (key.length !== 32) {
      throw configError(
        `${source}: the key "${input.id}" has ${key.length} bytes, AES-256 needs 32`,
        key.length,
      );
    }
    const check = createHmac('sha256', key).update(CHECK_LABEL).digest().subarray(0, 8).toString('base64url');
    map.set(input.id, { id: input.id, key, check });
  }
  const currentId = current ?? keys[0]?.id ?? '';
  const currentKey = map.get(currentId);
  if (currentKey === undefined)
    throw configError(`${source}: the current key "${currentId}" is not in the list`);
  return { current: currentKey, keys: map };
}

/**
 * Parses the environment variable format: comma-separated `id:base64key` pairs, the current
 * (newest) key first — e.g. `2026-12:q0…=,2026-06:Zm…=`.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` (naming `source`, never the key material).
 */
export function parseKeyList(text: string, source: string): Keyring {
  const pairs = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const keys = pairs.map((pair) => {
    const colon = pair.indexOf(':');
    if (colon < 1) throw configError(`${source}: each entry must be id:base64key`);
    return { id: pair.slice(0, colon), key: pair.slice(colon + 1) };
  });
  return createKeyring(keys, undefined, source);
}
