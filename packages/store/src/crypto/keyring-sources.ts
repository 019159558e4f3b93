import { readFile, stat } from 'node:fs/promises';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { createKeyring, type Keyring, parseKeyList } from './keyring.js';

/** The environment variable holding the keys inline: `id:base64key,…`, current key first. */
export const STORE_KEYS_ENV = 'OAUTH_DISCOVERY_STORE_KEYS';
/** The environment variable naming a key file (see {@link loadKeyringFile}). */
export const STORE_KEY_FILE_ENV = 'OAUTH_DISCOVERY_STORE_KEY_FILE';

/** Options of {@link loadKeyringFile} and {@link keyringFromEnvironment}. */
export interface KeyFileOptions {
  /**
   * Weakens a check: accept a key file that its group or others may read or write. By default such
   * a file is refused (`INVALID_CONFIG`), as `ssh` refuses a readable private key.
   */
  readonly allowInsecureKeyFilePermissions?: boolean | undefined;
}

function configError(message: string, actual?: unknown): DiscoveryError {
  return new DiscoveryError(ErrorCodes.INVALID_CONFIG, message, { expected: 'a store key file', actual });
}

/**
 * Reads a key file: JSON `{ "current": "<id>", "keys": { "<id>": "<base64 of 32 bytes>", … } }`.
 * The file must be private to its owner (mode 0600 or 0400) unless
 * `allowInsecureKeyFilePermissions` is set.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` naming the file: unreadable, not JSON, wrong shape, a
 *   bad key, or readable by group or others.
 */
export async function loadKeyringFile(path: string, options: KeyFileOptions = {}): Promise<Keyring> {
  let text: string;
  try {
    const info = await stat(path);
    if (
      process.platform !== 'win32' &&
      (info.mode & 0o077) !== 0 &&
      options.allowInsecureKeyFilePermissions !== true
    ) {
      throw configError(
        `${path}: the key file may be read by group or others (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it`,
        (info.mode & 0o777).toString(8),
      );
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof DiscoveryError) throw error;
    throw configError(`${path}: the key file cannot be read (${(error as Error).message})`, path);
  }
  let parsed: { current?: unknown; keys?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw configError(`${path}: the key file is not JSON`, path);
  }
  const keys = parsed?.keys;
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
    throw configError(`${path}: "keys" must be an object of key id → base64 key`, typeof keys);
  }
  if (parsed.current !== undefined && typeof parsed.current !== 'string') {
    throw configError(`${path}: "current" must be a key id`, typeof parsed.current);
  }
  const inputs = Object.entries(keys).map(([id, key]) => {
    if (typeof key !== 'string') throw configError(`${path}: keys.${id} must be a base64 string`, typeof key);
    return { id, key };
  });
  return createKeyring(inputs, parsed.current ?? inputs[0]?.id, path);
}

/**
 * The keyring configured in the environment: `OAUTH_DISCOVERY_STORE_KEYS` (inline keys) or
 * `OAUTH_DISCOVERY_STORE_KEY_FILE` (a key file) — exactly one of them.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` when neither or both are set, or the keys are invalid.
 */
export async function keyringFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: KeyFileOptions = {},
): Promise<Keyring> {
  const inline = env[STORE_KEYS_ENV];
  const file = env[STORE_KEY_FILE_ENV];
  if (inline !== undefined && inline !== '' && file !== undefined && file !== '') {
    throw configError(`set ${STORE_KEYS_ENV} or ${STORE_KEY_FILE_ENV}, not both`);
  }
  if (inline !== undefined && inline !== '') return parseKeyList(inline, STORE_KEYS_ENV);
  if (file !== undefined && file !== '') return loadKeyringFile(file, options);
  throw configError(`no store keys: set ${STORE_KEYS_ENV} or ${STORE_KEY_FILE_ENV}`);
}
