import type { Store } from '../types.js';
import { assertKey, assertPrefix } from '../validate.js';
import { decryptValue, encryptValue, keyIdOf } from './envelope.js';
import type { Keyring } from './keyring.js';

/** What {@link EncryptedStore.rotate} did. */
export interface RotationReport {
  /** Records re-encrypted with the current key. */
  readonly rewritten: number;
  /** Records already under the current key. */
  readonly current: number;
  /** Records changed by another writer while being rotated (left for the next run). */
  readonly conflicts: number;
}

/** A {@link Store} that encrypts values at rest, plus re-encryption of old records. */
export interface EncryptedStore extends Store {
  /**
   * Re-encrypts every record under `prefix` that an older key wrote, with the current key, by
   * compare-and-swap (a record written meanwhile is left alone). Run it after adding a new key;
   * once every record is current, the old key may leave the keyring.
   */
  rotate(prefix?: string): Promise<RotationReport>;
}

/**
 * Wraps `store` so that every value is encrypted at rest with AES-256-GCM: writes use the
 * keyring's current key, reads use whichever key the record names (rotation). The record's key id
 * and store key are bound as associated data. Versions, deletes, lists and locks pass through
 * (keys and versions are not secret and stay in the clear).
 *
 * Reads throw `STORE_KEY_MISSING`, `STORE_WRONG_KEY` or `STORE_TAMPERED` (see `decryptValue`).
 *
 * @see https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf (NIST SP 800-38D)
 */
export function createEncryptedStore(store: Store, keyring: Keyring): EncryptedStore {
  return {
    async get(key) {
      assertKey(key);
      const record = await store.get(key);
      return record && { ...record, value: decryptValue(keyring, key, record.value) };
    },
    set(key, value, options) {
      assertKey(key);
      return store.set(key, typeof value === 'string' ? encryptValue(keyring, key, value) : value, options);
    },
    delete: (key, options) => store.delete(key, options),
    list: (prefix) => store.list(prefix),
    withLock: (key, leaseMs, fn, options) => store.withLock(key, leaseMs, fn, options),
    close: () => store.close(),
    async rotate(prefix = '') {
      assertPrefix(prefix);
      let rewritten = 0;
      let current = 0;
      let conflicts = 0;
      for (const key of await store.list(prefix)) {
        const record = await store.get(key);
        if (record === undefined) continue;
        if (keyIdOf(key, record.value) === keyring.current.id) {
          current += 1;
          continue;
        }
        const plaintext = decryptValue(keyring, key, record.value);
        const ttlMs = record.expiresAt === undefined ? undefined : record.expiresAt - Date.now();
        if (ttlMs !== undefined && ttlMs < 1) continue;
        const result = await store.set(key, encryptValue(keyring, key, plaintext), {
          ifVersion: record.version,
          ttlMs,
        });
        if (result.ok) rewritten += 1;
        else conflicts += 1;
      }
      return { rewritten, current, conflicts };
    },
  } satisfies EncryptedStore;
}
