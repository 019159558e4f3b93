// A worker process of the store contract for the Redis driver (runs the built files).
import { createRedisStore } from '@oauth-discovery/store-redis';
import { runStoreWorker } from '@oauth-discovery/testkit/store-worker';
import { createClient } from '@redis/client';

await runStoreWorker(async ({ url, prefix }) => {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return createRedisStore({ client, prefix });
});
