import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';

/** The Redis every machine of the project runs (CI starts it when it does not answer). */
export const REDIS_URL = process.env.OAUTH_DISCOVERY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A connected client of the test Redis; throws (failing the test) when Redis does not answer. */
export async function connectRedis() {
  const client = createClient({
    url: REDIS_URL,
    socket: { connectTimeout: 5_000, reconnectStrategy: false },
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** A prefix unique to one test run, so parallel runs on one Redis never meet. */
export function runPrefix(label: string): string {
  return `od-test:${label}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** Deletes every key under `prefix`. */
export async function deleteUnder(
  client: Awaited<ReturnType<typeof connectRedis>>,
  prefix: string,
): Promise<number> {
  let deleted = 0;
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    if (keys.length > 0) deleted += await client.del(keys);
  }
  return deleted;
}
