import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileStore } from '../src/index.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'od-file-store-'));
  dirs.push(dir);
  return dir;
}
const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => (isDiscoveryError(error) ? error.code : String(error)),
  );

describe('the file store', () => {
  it('keeps records in 0600 files named by hash, in 0700 folders', async () => {
    const dir = await freshDir();
    const store = createFileStore({ dir: join(dir, 'nested', 'store') });
    await store.set('users/alice/token', 'secret');
    await store.withLock('refresh', 1_000, () => undefined);
    const records = join(dir, 'nested', 'store', 'records');
    const names = await readdir(records);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^[0-9a-f]{64}\.json$/);
    expect((await stat(join(records, names[0] ?? ''))).mode & 0o777).toBe(0o600);
    for (const folder of ['', 'records', 'locks', 'writes']) {
      expect((await stat(join(dir, 'nested', 'store', folder))).mode & 0o777).toBe(0o700);
    }
  });

  it('a half-written temporary file (a writer died before its rename) is never read', async () => {
    const dir = await freshDir();
    const store = createFileStore({ dir });
    await store.set('k', 'complete');
    await writeFile(join(dir, 'records', '.tmp-deadbeef'), '{"key":"k","value":"half');
    expect((await store.get('k'))?.value).toBe('complete');
    expect(await store.list('')).toEqual(['k']);
  });

  it('readers never see a half-written record while another process rewrites it, even when it is killed', async () => {
    const dir = await freshDir();
    const store = createFileStore({ dir });
    const big = (char: string) => char.repeat(2_000_000);
    await store.set('big', big('a'));
    const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    expect(existsSync(built), 'build @oauth-discovery/store first (turbo run build)').toBe(true);
    const writer = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { createFileStore } from ${JSON.stringify(built)};
         const store = createFileStore({ dir: ${JSON.stringify(dir)}, writeLeaseMs: 1000 });
         for (let i = 0; ; i += 1) await store.set('big', (i % 2 ? 'a' : 'b').repeat(2_000_000));`,
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => writer.on('close', resolve));
    const seen = new Set<string>();
    // Read until both values were seen (the writer is running), then some more.
    for (let read = 0, after = 0; after < 30 && read < 5_000; read += 1) {
      if (seen.size === 2) after += 1;
      const value = (await store.get('big'))?.value ?? '';
      expect(value === big('a') || value === big('b')).toBe(true);
      seen.add(value[0] ?? '');
    }
    expect(seen.size).toBe(2);
    writer.kill('SIGKILL');
    await exited;
    const last = (await store.get('big'))?.value ?? '';
    expect(last === big('a') || last === big('b')).toBe(true);
    // The killed writer may have held the record's write lock: the next write waits out its 1 s lease.
    expect((await store.set('big', 'after')).ok).toBe(true);
    expect((await store.get('big'))?.value).toBe('after');
  });

  it('a record file edited into garbage: STORE_CORRUPT naming both files, moved aside, then absent', async () => {
    const dir = await freshDir();
    const store = createFileStore({ dir });
    await store.set('k', 'v');
    const [name = ''] = await readdir(join(dir, 'records'));
    await writeFile(join(dir, 'records', name), '{ not json');
    const error = await store.get('k').catch((caught: unknown) => caught);
    expect(isDiscoveryError(error, ErrorCodes.STORE_CORRUPT)).toBe(true);
    expect(String(error)).toContain(name);
    expect((await readdir(join(dir, 'records'))).some((file) => file.startsWith(`${name}.corrupt-`))).toBe(
      true,
    );
    expect(await store.get('k')).toBeUndefined();
  });

  it('bad options: INVALID_CONFIG; a folder that is a file: STORE_UNAVAILABLE', async () => {
    expect(() => createFileStore({ dir: '' })).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_CONFIG }),
    );
    expect(() => createFileStore(undefined as never)).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_CONFIG }),
    );
    expect(() => createFileStore({ dir: 'x', writeLeaseMs: 0 })).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_CONFIG }),
    );
    const dir = await freshDir();
    await writeFile(join(dir, 'file'), 'x');
    const store = createFileStore({ dir: join(dir, 'file') });
    expect(await codeOf(store.get('k'))).toBe(ErrorCodes.STORE_UNAVAILABLE);
    expect(await codeOf(store.set('k', 'v'))).toBe(ErrorCodes.STORE_UNAVAILABLE);
    expect(await codeOf(store.withLock('k', 1_000, () => 'x'))).toBe(ErrorCodes.STORE_UNAVAILABLE);
  });
});
