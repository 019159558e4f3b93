export type { EncryptedStore, RotationReport } from './crypto/encrypted-store.js';
export { createEncryptedStore } from './crypto/encrypted-store.js';
export { decryptValue, encryptValue } from './crypto/envelope.js';
export type { KeyInput, Keyring, StoreKey } from './crypto/keyring.js';
export { createKeyring, parseKeyList } from './crypto/keyring.js';
export type { KeyFileOptions } from './crypto/keyring-sources.js';
export {
  keyringFromEnvironment,
  loadKeyringFile,
  STORE_KEY_FILE_ENV,
  STORE_KEYS_ENV,
} from './crypto/keyring-sources.js';
export type { FileStoreOptions } from './file/file-store.js';
export { createFileStore } from './file/file-store.js';
export type { TryAcquire } from './lock-runner.js';
export { DEFAULT_LOCK_WAIT_MS, newToken, runWithLock } from './lock-runner.js';
export { createMemoryStore } from './memory-store.js';
export type {
  DeleteOptions,
  LockHandle,
  LockOptions,
  SetOptions,
  Store,
  StoreRecord,
  WriteResult,
} from './types.js';
export {
  assertDeleteOptions,
  assertKey,
  assertPrefix,
  assertSetOptions,
  assertValue,
  MAX_KEY_LENGTH,
  unavailable,
} from './validate.js';
