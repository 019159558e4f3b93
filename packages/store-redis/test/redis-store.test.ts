import { fileURLToPath } from 'node:url';
import { testStoreDriver } from '@oauth-discovery/testkit/store-contract';
import { createRedisStore } from '../src/index.js';
import { connectRedis, deleteUnder, REDIS_URL, runPrefix } from './redis-harness.js';

testStoreDriver(
  'redis',
  async () => {
    const prefix = runPrefix('contract');
    const clients: Awaited<ReturnType<typeof connectRedis>>[] = [];
    return {
      async open() {
        const client = await connectRedis();
        clients.push(client);
        return createRedisStore({ client, prefix });
      },
      worker: {
        script: fileURLToPath(new URL('./redis-store-worker.mjs', import.meta.url)),
        config: { url: REDIS_URL, prefix },
      },
      async dispose() {
        const cleaner = await connectRedis();
        await deleteUnder(cleaner, prefix);
        for (const client of [...clients, cleaner]) await client.close();
      },
    };
  },
  { processes: true },
);
