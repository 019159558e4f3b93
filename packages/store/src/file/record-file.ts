import { createHash } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import type { StoreRecord } from '../types.js';

/** A record as the file store keeps it: the key too, since file names are hashes. */
export interface RecordFile extends StoreRecord {
  readonly key: string;
}

/**
 * The file name of a key: its SHA-256 in hex. Any key (any length, any characters, text from a
 * server) maps to a safe, fixed-length name that cannot climb out of the folder.
 */
export function fileNameOf(key: string): string {
  return `${createHash('sha256').update(key, 'utf8').digest('hex')}.json`;
}

function isRecordFile(value: unknown, key: string | undefined): value is RecordFile {
  const record = value as Partial<RecordFile> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.key === 'string' &&
    (key === undefined || record.key === key) &&
    typeof record.value === 'string' &&
    typeof record.version === 'string' &&
    (record.expiresAt === undefined || typeof record.expiresAt === 'number')
  );
}

/**
 * Reads the record file at `name` in `dir`: `undefined` when it does not exist or has expired. A
 * file that does not parse (written by hand — the store's own writes are atomic) is moved aside
 * to `<file>.corrupt-<time>` and reported as `STORE_CORRUPT` naming both files.
 *
 * @param key The key the file must hold; `undefined` accepts any (for `list`).
 */
export async function readRecordFile(
  dir: string,
  name: string,
  key: string | undefined,
): Promise<RecordFile | undefined> {
  const path = join(dir, name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isRecordFile(parsed, key)) {
    const aside = `${path}.corrupt-${Date.now()}`;
    await rename(path, aside).catch(() => undefined);
    throw new DiscoveryError(
      ErrorCodes.STORE_CORRUPT,
      `store: the record file ${path} is not a record of this store; moved aside to ${aside}`,
      { expected: 'a record file', actual: path },
    );
  }
  if (parsed.expiresAt !== undefined && parsed.expiresAt <= Date.now()) return undefined;
  return parsed;
}
