// A worker process of the store contract for the file driver (runs the built files).
import { createFileStore } from '@oauth-discovery/store';
import { runStoreWorker } from '@oauth-discovery/testkit/store-worker';

await runStoreWorker((config) => createFileStore(config));
