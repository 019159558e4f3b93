import { createInterface } from 'node:readline';
import type { Store } from '@oauth-discovery/store';

/** One job of a worker process of the store contract (given as JSON in `argv[2]`). */
export type StoreWorkerJob =
  | {
      readonly op: 'cas';
      readonly config: unknown;
      readonly key: string;
      readonly version: string;
      readonly value: string;
    }
  | {
      readonly op: 'count';
      readonly config: unknown;
      readonly lockKey: string;
      readonly counterKey: string;
      readonly rounds: number;
    }
  | { readonly op: 'hold'; readonly config: unknown; readonly lockKey: string; readonly leaseMs: number };

function line(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(`${text}\n`, () => resolve()));
}

async function perform(store: Store, job: StoreWorkerJob): Promise<unknown> {
  switch (job.op) {
    case 'cas':
      return store.set(job.key, job.value, { ifVersion: job.version });
    case 'count':
      for (let round = 0; round < job.rounds; round += 1) {
        await store.withLock(
          job.lockKey,
          10_000,
          async () => {
            const value = Number((await store.get(job.counterKey))?.value);
            await new Promise((resolve) => setImmediate(resolve));
            await store.set(job.counterKey, String(value + 1));
          },
          { waitMs: 60_000 },
        );
      }
      return { rounds: job.rounds };
    case 'hold':
      // Takes the lock and never lets go: the parent kills this process while it holds it.
      setInterval(() => undefined, 1_000);
      return store.withLock(job.lockKey, job.leaseMs, async (lock) => {
        await line(JSON.stringify({ locked: lock.token }));
        await new Promise(() => undefined);
      });
  }
}

/**
 * The body of a store contract worker process: opens the store from the job's config, prints
 * `ready`, waits for `go` on stdin (so that every worker starts at once), performs the job, prints
 * its result as one JSON line and exits.
 *
 * ```js
 * // test/store-worker.mjs — runs the built files
 * import { runStoreWorker } from '@oauth-discovery/testkit/store-worker';
 * import { createFileStore } from '@oauth-discovery/store';
 * await runStoreWorker((config) => createFileStore(config));
 * ```
 */
export async function runStoreWorker(open: (config: unknown) => Promise<Store> | Store): Promise<never> {
  const job = JSON.parse(process.argv[2] ?? '{}') as StoreWorkerJob;
  const store = await open(job.config);
  const input = createInterface({ input: process.stdin });
  const go = new Promise<void>((resolve) => input.on('line', (text) => text.trim() === 'go' && resolve()));
  await line('ready');
  await go;
  input.close();
  try {
    await line(JSON.stringify({ result: await perform(store, job) }));
    process.exit(0);
  } catch (error) {
    await line(JSON.stringify({ error: String(error), code: (error as { code?: unknown }).code }));
    process.exit(1);
  }
}
