import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createFileStore } from '../src/index.js';

it('smoke', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'store-'));
  const store = createFileStore({ dir });
  const a = await store.set('k', 'v', { ifVersion: null });
  expect(a.ok).toBe(true);
  const b = await store.set('k', 'w', { ifVersion: null });
  expect(b.ok).toBe(false);
  expect((await store.get('k'))?.value).toBe('v');
  let n = 0;
  await Promise.all(
    Array.from({ length: 10 }, () =>
      store.withLock('l', 5000, async () => {
        const c = n;
        await new Promise((r) => setTimeout(r, 2));
        n = c + 1;
      }),
    ),
  );
  expect(n).toBe(10);
});
