import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Mode of every file of a file store: private to the user running it. */
export const FILE_MODE = 0o600;
/** Mode of every folder of a file store. */
export const DIR_MODE = 0o700;

/** A name for a temporary file in `dir`: starts with a dot, which readers skip. */
export function tempPath(dir: string): string {
  return join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
}

async function writeTemp(dir: string, content: string, durable: boolean): Promise<string> {
  const temp = tempPath(dir);
  const handle = await open(temp, 'wx', FILE_MODE);
  try {
    await handle.writeFile(content, 'utf8');
    if (durable) await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return temp;
}

/**
 * Replaces `path` with `content` atomically: written and synced to a temporary file in the same
 * folder (mode 0600), then renamed over `path`. A reader sees the old file or the new one, never a
 * half-written one, even if this process dies mid-write.
 */
export async function writeFileAtomic(dir: string, path: string, content: string): Promise<void> {
  const temp = await writeTemp(dir, content, true);
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * Creates `path` with `content` only if it does not exist, atomically: the complete file is linked
 * into place (`link` fails when the name exists), so nobody ever reads it half-written. Not synced:
 * lock files need not survive a power loss (a reboot ends every holder anyway).
 *
 * @returns `false` when `path` already existed.
 */
export async function createFileExclusive(dir: string, path: string, content: string): Promise<boolean> {
  const temp = await writeTemp(dir, content, false);
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
