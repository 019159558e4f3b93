import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPipeline } from '../pipeline/create-pipeline.js';
import { closeAfterEach, fetchStrategy, startServer } from '../pipeline/loopback-server.test-helper.js';
import type { DiscoveryTrace } from '../trace/types.js';
import { createFileCache } from './file-cache.js';
import type { CacheEntry } from './types.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
const track = closeAfterEach();

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'oauth-discovery-file-cache-'));
  dirs.push(dir);
  return join(dir, 'cache');
}

const trace: DiscoveryTrace = {
  resource: 'https://mcp.example/mcp',
  steps: [],
  unusedSpeculation: [],
  requestCount: 0,
  durationMs: 0,
  startedAt: '2026-01-01T00:00:00.000Z',
  relaxations: [],
};

const miss = (expiresAt: number): CacheEntry => ({
  expiresAt,
  value: { ok: false, error: { code: 'DISCOVERY_FAILED', message: 'nothing' }, trace },
});

describe('file cache', () => {
  it('keeps entries across instances in 0600 files (0700 directory) named by a hash of the key', async () => {
    const dir = await tempDir();
    const now = () => 1_000;
    await createFileCache({ dir, now }).set('https://mcp.example/mcp\n../../etc', miss(2_000));
    const names = await readdir(dir);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^[0-9a-f]{64}\.json$/);
    expect((await stat(join(dir, names[0] as string))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await createFileCache({ dir, now }).get('https://mcp.example/mcp\n../../etc')).toEqual(
      miss(2_000),
    );
  });

  it('namespaces separate differently configured pipelines sharing a directory', async () => {
    const dir = await tempDir();
    const now = () => 1_000;
    await createFileCache({ dir, now, namespace: 'a' }).set('k', miss(2_000));
    expect(await createFileCache({ dir, now, namespace: 'b' }).get('k')).toBeUndefined();
    expect(await createFileCache({ dir, now }).get('k')).toBeUndefined();
    expect(await createFileCache({ dir, now, namespace: 'a' }).get('k')).toEqual(miss(2_000));
  });

  it('an expired entry is a miss and its file is removed', async () => {
    const dir = await tempDir();
    let time = 1_000;
    const cache = createFileCache({ dir, now: () => time });
    await cache.set('k', miss(2_000));
    time = 2_000;
    expect(await cache.get('k')).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });

  it('a corrupt or foreign file is a miss and is removed; delete removes', async () => {
    const dir = await tempDir();
    const cache = createFileCache({ dir, now: () => 1_000 });
    await cache.set('k', miss(2_000));
    const [name] = await readdir(dir);
    await writeFile(join(dir, name as string), '{"expiresAt": 5000, "value":');
    expect(await cache.get('k')).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
    await cache.set('k', miss(2_000));
    await writeFile(join(dir, name as string), '{"expiresAt": "soon"}');
    expect(await cache.get('k')).toBeUndefined();
    await cache.set('k', miss(2_000));
    await cache.delete('k');
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.get('never set')).toBeUndefined();
  });

  it('writes atomically: no temporary file is left, the file is always complete JSON', async () => {
    const dir = await tempDir();
    const cache = createFileCache({ dir, now: () => 1_000 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => cache.set('same', miss(2_000 + i))));
    const names = await readdir(dir);
    expect(names).toHaveLength(1);
    const entry = JSON.parse(await readFile(join(dir, names[0] as string), 'utf8')) as CacheEntry;
    expect(entry.expiresAt).toBeGreaterThanOrEqual(2_000);
  });

  it('past maxEntries, expired entries and then the oldest are removed', async () => {
    const dir = await tempDir();
    let time = 1_000;
    const cache = createFileCache({ dir, maxEntries: 2, now: () => time });
    await cache.set('a', miss(1_500));
    await cache.set('b', miss(5_000));
    time = 2_000;
    await cache.set('c', miss(5_000));
    expect(await cache.get('a')).toBeUndefined();
    expect(await readdir(dir)).toHaveLength(2);
    await cache.set('d', miss(5_000));
    expect(await readdir(dir)).toHaveLength(2);
    expect(await cache.get('d')).toBeDefined();
  });

  it('a second pipeline (another process) answers from the file without a request', async () => {
    const dir = await tempDir();
    const as = track(
      await startServer('127.0.0.2', {
        '/meta': { body: { issuer: 'https://as.example' }, headers: { 'cache-control': 'max-age=60' } },
      }),
    );
    const first = track(
      createPipeline([fetchStrategy('as', as.url('/meta'))], { cache: createFileCache({ dir }) }),
    );
    const fresh = await first.discover('http://127.0.0.1:9/mcp');
    expect(fresh.fromCache).toBe(false);
    const second = track(
      createPipeline([fetchStrategy('as', as.url('/meta'))], { cache: createFileCache({ dir }) }),
    );
    const cached = await second.discover('http://127.0.0.1:9/mcp');
    expect(cached.fromCache).toBe(true);
    expect(cached.authorizationServer).toEqual(fresh.authorizationServer);
    expect(as.requests).toEqual(['GET /meta']);
  });
});
