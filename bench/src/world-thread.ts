import { parentPort } from 'node:worker_threads';
import type { World } from '@oauth-discovery/testkit';
import { countLog, startLocalWorld, type ThreadReply, type ThreadRequest } from './world-host.js';

// The entry of the worker thread that hosts one world's servers for `hostWorld(…, 'worker-thread')`.
let world: World | undefined;

async function answer(request: ThreadRequest): Promise<unknown> {
  switch (request.op) {
    case 'start': {
      const started = await startLocalWorld(request.ref);
      world = started.world;
      return started.resources;
    }
    case 'clearLog':
      world?.clearLog();
      return undefined;
    case 'count':
      return world ? countLog(world) : { requests: 0, aborted: 0 };
    case 'close':
      await world?.close();
      world = undefined;
      return undefined;
  }
}

parentPort?.on('message', (request: ThreadRequest) => {
  answer(request).then(
    (value) => parentPort?.postMessage({ id: request.id, ok: true, value } satisfies ThreadReply),
    (error: unknown) =>
      parentPort?.postMessage({ id: request.id, ok: false, error: String(error) } satisfies ThreadReply),
  );
});
