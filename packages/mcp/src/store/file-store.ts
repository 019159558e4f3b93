import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { createRecordTokenStore, type RecordBackend } from './records.js';
import type { TokenStore } from './types.js';

/** Options of {@link createFileStore}. */
export interface FileStoreOptions {
  /** Directory of the store. Default {@link defaultConfigDir}. Created with mode 0700 when missing. */
  readonly dir?: string;
}

/** What {@link defaultConfigDir} looks at; defaults to the running process. */
export interface ConfigDirEnvironment {
  readonly platform?: NodeJS.Platform;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
}

/**
 * The user's configuration directory for this tool: `%APPDATA%\oauth-discovery` on Windows,
 * `~/Library/Application Support/oauth-discovery` on macOS, else `$XDG_CONFIG_HOME/oauth-discovery`
 * or `~/.config/oauth-discovery`.
 *
 * @see https://specifications.freedesktop.org/basedir-spec/latest/
 */
export function defaultConfigDir(environment: ConfigDirEnvironment = {}): string {
  const platform = environment.platform ?? process.platform;
  const env = environment.env ?? process.env;
  const home = environment.home ?? homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'oauth-discovery');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'oauth-discovery');
  const xdg = env.XDG_CONFIG_HOME;
  // The basedir spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  return join(xdg?.startsWith('/') ? xdg : join(home, '.config'), 'oauth-discovery');
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/**
 * A {@link TokenStore} in a directory: one JSON file per record, written atomically (temporary file
 * in the same directory, fsync, rename), files 0600 and the directory 0700. A file that cannot be
 * parsed is moved aside to `<name>.corrupt-<timestamp>` — never deleted — and reading it fails with
 * `STORE_CORRUPT` naming both paths.
 */
export function createFileStore(options: FileStoreOptions = {}): TokenStore & { readonly dir: string } {
  const dir = options.dir ?? defaultConfigDir();
  let ready: Promise<void> | undefined;
  const ensureDir = (): Promise<void> => {
    ready ??= (async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // mkdir leaves an existing directory's mode alone (and applies the umask): set it explicitly.
      if (process.platform !== 'win32') await chmod(dir, 0o700);
    })().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };

  const moveAside = async (path: string, reason: string, cause: unknown): Promise<never> => {
    const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(path, aside).catch((error: unknown) => {
      // Another reader moved it aside first: the same verdict, nothing left to move.
      if (!isNotFound(error)) throw error;
    });
    throw new DiscoveryError(
      ErrorCodes.STORE_CORRUPT,
      `Token store file ${path} is corrupt (${reason}); it was moved to ${aside}. Log in again to replace it.`,
      { url: path, expected: 'a token store record (JSON)', actual: reason, cause },
    );
  };

  const backend: RecordBackend = {
    async read(name, parse) {
      const path = join(dir, name);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        return moveAside(path, 'not valid JSON', error);
      }
      try {
        return parse(json);
      } catch (error) {
        return moveAside(path, 'not a valid record', error);
      }
    },
    async write(name, value) {
      await ensureDir();
      const path = join(dir, name);
      const temporary = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.chmod(0o600);
        await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
        await handle.sync();
      } catch (error) {
        await handle.close();
        await rm(temporary, { force: true });
        throw error;
      }
      await handle.close();
      await rename(temporary, path).catch(async (error: unknown) => {
        await rm(temporary, { force: true });
        throw error;
      });
    },
    async remove(name) {
      try {
        await unlink(join(dir, name));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
    async list(prefix) {
      try {
        return (await readdir(dir)).filter((name) => name.startsWith(prefix) && name.endsWith('.json'));
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
    },
  };
  return { ...createRecordTokenStore(backend), dir };
}
