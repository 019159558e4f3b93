import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { runWithLock } from '../lock-runner.js';
import type { Store, WriteResult } from '../types.js';
import {
  assertDeleteOptions,
  assertKey,
  assertPositiveMs,
  assertPrefix,
  assertSetOptions,
  assertValue,
  unavailable,
} from '../validate.js';
import { DIR_MODE, writeFileAtomic } from './atomic.js';
import { fileLockAttempt } from './file-lock.js';
import { fileNameOf, type RecordFile, readRecordFile } from './record-file.js';

/** Options of {@link createFileStore}. */
export interface FileStoreOptions {
  /** The folder of the store (created 0700 when missing). Every process that shares it shares the store. */
  readonly dir: string;
  /**
   * Lease of the short lock each write takes on its record, in milliseconds: how long a writer that
   * died mid-write blocks the record's other writers. Default 10 000.
   */
  readonly writeLeaseMs?: number | undefined;
}

const WRITE_WAIT_MS = 30_000;

/**
 * The file {@link Store}: the embedded default, for one machine (processes sharing a folder on a
 * local disk; not a network file system). Each record is one JSON file (mode 0600, named by the
 * SHA-256 of its key) replaced atomically — temporary file, `fsync`, `rename` — so a half-written
 * file is never read back. Writes take a short per-record lock so compare-and-swap holds between
 * processes; locks are lease files created with an exclusive `link`.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` when `dir` is not a non-empty string or `writeLeaseMs` not a
 *   positive integer.
 */
export function createFileStore(options: FileStoreOptions): Store {
  if (typeof options?.dir !== 'string' || options.dir === '') {
    throw new DiscoveryError(ErrorCodes.INVALID_CONFIG, 'createFileStore: dir must be a folder path', {
      expected: 'a folder path',
      actual: options?.dir,
    });
  }
  const root = resolve(options.dir);
  const recordsDir = join(root, 'records');
  const locksDir = join(root, 'locks');
  const writesDir = join(root, 'writes');
  const writeLeaseMs = options.writeLeaseMs ?? 10_000;
  assertPositiveMs(writeLeaseMs, 'writeLeaseMs');
  let ready: Promise<void> | undefined;
  const prepare = () => {
    ready ??= mkdir(recordsDir, { recursive: true, mode: DIR_MODE }).then(() => undefined);
    return ready;
  };
  const hashOf = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');
  const lock = (key: string) => fileLockAttempt(join(locksDir, hashOf(key)));

  const current = async (key: string): Promise<RecordFile | undefined> => {
    await prepare();
    return readRecordFile(recordsDir, fileNameOf(key), key);
  };
  // Writers of one record go one at a time, under a lock of their own (apart from callers' locks).
  const underWriteLock = <T>(key: string, fn: () => Promise<T>): Promise<T> =>
    runWithLock(fileLockAttempt(join(writesDir, hashOf(key))), key, writeLeaseMs, fn, {
      waitMs: WRITE_WAIT_MS,
    });
  const conflict = (record: RecordFile | undefined): WriteResult => ({
    ok: false,
    reason: 'version-conflict',
    currentVersion: record?.version ?? null,
  });
  const guard = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw unavailable(error, what);
    }
  };

  return {
    async get(key) {
      assertKey(key);
      const record = await guard('get', () => current(key));
      return record && { value: record.value, version: record.version, expiresAt: record.expiresAt };
    },
    async set(key, value, setOptions = {}) {
      assertKey(key);
      assertValue(value);
      assertSetOptions(setOptions);
      return guard('set', () =>
        underWriteLock(key, async () => {
          const record = await current(key);
          if (setOptions.ifVersion !== undefined && (record?.version ?? null) !== setOptions.ifVersion) {
            return conflict(record);
          }
          const version = randomUUID();
          const expiresAt = setOptions.ttlMs === undefined ? undefined : Date.now() + setOptions.ttlMs;
          const file: RecordFile = { key, value, version, expiresAt };
          await writeFileAtomic(recordsDir, join(recordsDir, fileNameOf(key)), JSON.stringify(file));
          return { ok: true, version };
        }),
      );
    },
    async delete(key, deleteOptions = {}) {
      assertKey(key);
      assertDeleteOptions(deleteOptions);
      return guard('delete', () =>
        underWriteLock(key, async () => {
          const record = await current(key);
          if (deleteOptions.ifVersion !== undefined && record?.version !== deleteOptions.ifVersion) {
            return conflict(record);
          }
          await unlink(join(recordsDir, fileNameOf(key))).catch((error: NodeJS.ErrnoException) => {
            if (error.code !== 'ENOENT') throw error;
          });
          return { ok: true, version: null };
        }),
      );
    },
    async list(prefix) {
      assertPrefix(prefix);
      return guard('list', async () => {
        await prepare();
        const keys: string[] = [];
        for (const name of await readdir(recordsDir)) {
          if (!name.endsWith('.json') || name.startsWith('.')) continue;
          const record = await readRecordFile(recordsDir, name, undefined).catch(() => undefined);
          if (record?.key.startsWith(prefix)) keys.push(record.key);
        }
        return keys.sort();
      });
    },
    withLock(key, leaseMs, fn, lockOptions) {
      const attempt = lock(typeof key === 'string' ? key : '');
      const guarded: typeof attempt = (lockKey, token, lease) =>
        guard('withLock', () => attempt(lockKey, token, lease));
      return runWithLock(guarded, key, leaseMs, fn, lockOptions);
    },
    async close() {},
  } satisfies Store;
}
