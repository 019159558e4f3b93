import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CacheEntry, DiscoveryCache } from './types.js';

/** Options of {@link createFileCache}. */
export interface FileCacheOptions {
  /** Directory of the cache files; created (mode 0700) on the first write. */
  readonly dir: string;
  /** Past this many files, expired ones and then the oldest are removed on write. Default 500. */
  readonly maxEntries?: number;
  /** Clock in ms since the epoch, for expiry. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Separates entries of differently configured pipelines sharing the directory (other strategies,
   * pins or options give other answers for the same resource): part of every file name's hash.
   */
  readonly namespace?: string;
}

const SUFFIX = '.json';

/** The file of `key`: a hash, so no part of a (server-influenced) key ever reaches a path. */
function fileNameOf(namespace: string, key: string): string {
  return `${createHash('sha256').update(`${namespace}\u0000${key}`).digest('hex')}${SUFFIX}`;
}

function isEntry(value: unknown): value is CacheEntry {
  if (typeof value !== 'object' || value === null) return false;
  const { expiresAt, value: inner } = value as { expiresAt?: unknown; value?: unknown };
  return (
    typeof expiresAt === 'number' &&
    typeof inner === 'object' &&
    inner !== null &&
    typeof (inner as { ok?: unknown }).ok === 'boolean'
  );
}

/**
 * A {@link DiscoveryCache} in a directory, so a discovery outlives the process (a CLI run twice asks
 * the servers once). One JSON file per key (named by the key's SHA-256), mode 0600, written
 * atomically: a temporary file in the same directory, then `rename`. What is stored and for how long
 * is the pipeline's decision (`Cache-Control`, the negative-cache rules, never security errors or
 * guesses); this store only keeps entries until `expiresAt`. An unreadable, corrupt or expired file
 * is a miss (and removed). Concurrent processes may race; the last complete write wins.
 */
export function createFileCache(options: FileCacheOptions): DiscoveryCache {
  const { dir } = options;
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 500;
  const fileName = (key: string): string => fileNameOf(options.namespace ?? '', key);

  async function prune(): Promise<void> {
    const names = (await readdir(dir)).filter((name) => name.endsWith(SUFFIX));
    if (names.length <= maxEntries) return;
    const files = await Promise.all(
      names.map(async (name) => {
        const path = join(dir, name);
        try {
          const entry: unknown = JSON.parse(await readFile(path, 'utf8'));
          const expiresAt = isEntry(entry) ? entry.expiresAt : 0;
          return { path, expiresAt, mtime: (await stat(path)).mtimeMs };
        } catch {
          return { path, expiresAt: 0, mtime: 0 };
        }
      }),
    );
    const expired = files.filter((file) => file.expiresAt <= now());
    const live = files.filter((file) => file.expiresAt > now()).sort((a, b) => a.mtime - b.mtime);
    const excess = live.slice(0, Math.max(0, live.length - maxEntries));
    await Promise.all([...expired, ...excess].map((file) => rm(file.path, { force: true })));
  }

  return {
    async get(key) {
      const path = join(dir, fileName(key));
      let entry: unknown;
      try {
        entry = JSON.parse(await readFile(path, 'utf8'));
      } catch (error) {
        // Missing is a miss; a corrupt file is removed so it is not read again.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') await rm(path, { force: true });
        return undefined;
      }
      if (!isEntry(entry) || entry.expiresAt <= now()) {
        await rm(path, { force: true });
        return undefined;
      }
      return entry;
    },
    async set(key, entry) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, fileName(key));
      const temporary = join(dir, `.${fileName(key)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(temporary, JSON.stringify(entry), { mode: 0o600, flag: 'wx' });
        // The umask may have narrowed the mode further, never widened it; make it exact.
        await chmod(temporary, 0o600);
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      await prune();
    },
    async delete(key) {
      await rm(join(dir, fileName(key)), { force: true });
    },
  };
}
