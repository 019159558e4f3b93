import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { TryAcquire } from '../lock-runner.js';
import { createFileExclusive, DIR_MODE } from './atomic.js';

// A lock is a folder of generations: `g<n>` holds the lease of the n-th holder ({ token, expiresAt }),
// `g<n>.released` says that holder let go. The highest generation is the lock's state. A taker
// creates `g<n+1>` when `g<n>` is released or its lease has run out; creating it is the atomic step
// (`link` fails when the name exists), so two takers of an expired lock cannot both win. The highest
// generation is never deleted (only lower ones are, by the holder of a higher one), so the highest
// number only grows: a taker acting on an old view that creates a lower generation sees the higher
// one when it looks again and backs off. A stale holder's release marks its own, old generation:
// it can never free the generation of the holder that took over.

const GENERATION = /^g(\d+)(\.released)?$/;

interface Generations {
  readonly highest: number;
  readonly released: ReadonlySet<number>;
  readonly all: readonly number[];
}

async function generations(dir: string): Promise<Generations> {
  let highest = 0;
  const released = new Set<number>();
  const all: number[] = [];
  for (const name of await readdir(dir)) {
    const match = GENERATION.exec(name);
    if (match === null) continue;
    const n = Number(match[1]);
    if (match[2] === undefined) {
      all.push(n);
      highest = Math.max(highest, n);
    } else {
      released.add(n);
    }
  }
  return { highest, released, all };
}

async function leaseOf(dir: string, n: number): Promise<number | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(dir, `g${n}`), 'utf8'));
    const expiresAt = (parsed as { expiresAt?: unknown } | null)?.expiresAt;
    return typeof expiresAt === 'number' ? expiresAt : 0;
  } catch (error) {
    // Gone between readdir and read: someone moved on; look again.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Lease files are linked into place complete; one that does not parse was edited by hand: expired.
    return 0;
  }
}

const ignoreMissing = (error: unknown): void => {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
};

/**
 * One attempt at the file lock in `dir` (created 0700 if missing); see the comment at the top of
 * this file for why it is safe between processes.
 */
export function fileLockAttempt(dir: string): TryAcquire {
  return async (_key, token, leaseMs) => {
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    const before = await generations(dir);
    if (before.highest > 0 && !before.released.has(before.highest)) {
      const expiresAt = await leaseOf(dir, before.highest);
      if (expiresAt === undefined || expiresAt > Date.now()) return undefined;
    }
    const mine = before.highest + 1;
    const lease = JSON.stringify({ token, expiresAt: Date.now() + leaseMs, pid: process.pid });
    if (!(await createFileExclusive(dir, join(dir, `g${mine}`), lease))) return undefined;
    const after = await generations(dir);
    if (after.highest > mine) {
      await unlink(join(dir, `g${mine}`)).catch(ignoreMissing);
      return undefined;
    }
    for (const n of after.all) if (n < mine) await unlink(join(dir, `g${n}`)).catch(ignoreMissing);
    for (const n of after.released)
      if (n < mine) await unlink(join(dir, `g${n}.released`)).catch(ignoreMissing);
    return async () => {
      await createFileExclusive(dir, join(dir, `g${mine}.released`), token);
    };
  };
}
