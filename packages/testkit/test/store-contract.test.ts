import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFileStore, createMemoryStore, type Store } from '@oauth-discovery/store';
import { testStoreDriver } from '../src/store-contract.js';

// The store drivers of @oauth-discovery/store run the contract here (the testkit depends on the
// store package, so the store package cannot depend on the testkit); the Redis driver runs it in
// packages/store-redis.

testStoreDriver('memory', async () => {
  const store = createMemoryStore();
  return { open: async () => store, dispose: () => store.close() };
});

testStoreDriver(
  'file',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'od-store-contract-'));
    const opened: Store[] = [];
    return {
      async open() {
        const store = createFileStore({ dir });
        opened.push(store);
        return store;
      },
      worker: { script: fileURLToPath(new URL('./store-file-worker.mjs', import.meta.url)), config: { dir } },
      async dispose() {
        for (const store of opened) await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  { processes: true },
);
