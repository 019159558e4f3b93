import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { startWorld, type World } from '@oauth-discovery/testkit';
import { type ScalePlan, scaleResources, scaleWorldSpec } from './scale-world.js';
import { benchWorlds } from './worlds.js';

/** Which world to start: a bench world by name at a latency, or the scale world. Plain data (crosses threads). */
export type WorldRef =
  | { readonly kind: 'shape'; readonly name: string; readonly latencyMs: number }
  | { readonly kind: 'scale'; readonly plan: ScalePlan };

/** A protected resource of a world and the issuer a correct discovery ends with (`undefined`: none). */
export interface HostedResource {
  readonly url: string;
  readonly issuer: string | undefined;
}

/** What the servers received since the last `clearLog()`. */
export interface LogCount {
  readonly requests: number;
  /** Requests whose connection the client closed before the response was complete. */
  readonly aborted: number;
}

/**
 * Where the world's servers run: on their own worker thread (like remote servers, they do not take
 * the client's event loop), or in the benchmark's own thread (the fallback under vitest, which cannot
 * load a TypeScript worker).
 */
export type ServerPlacement = 'worker-thread' | 'in-process';

/** A running world, wherever it runs. */
export interface HostedWorld {
  readonly placement: ServerPlacement;
  readonly resources: readonly HostedResource[];
  clearLog(): Promise<void>;
  count(): Promise<LogCount>;
  close(): Promise<void>;
}

/** A world started in this thread, with its resources. */
export interface LocalWorld {
  readonly world: World;
  readonly resources: HostedResource[];
}

/**
 * Starts the world `ref` names in this thread.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` for an unknown world name.
 */
export async function startLocalWorld(ref: WorldRef): Promise<LocalWorld> {
  if (ref.kind === 'scale') {
    const world = await startWorld(scaleWorldSpec(ref.plan));
    return { world, resources: scaleResources(world, ref.plan) };
  }
  const bench = benchWorlds.find((candidate) => candidate.name === ref.name);
  if (!bench) {
    throw new DiscoveryError(ErrorCodes.INVALID_CONFIG, `Unknown bench world "${ref.name}"`, {
      expected: benchWorlds.map((w) => w.name),
      actual: ref.name,
    });
  }
  const shape = bench.make(ref.latencyMs);
  const world = await startWorld(shape.spec);
  return { world, resources: [{ url: shape.expect.resource(world), issuer: shape.expect.issuer(world) }] };
}

/** Counts the log of a world in this thread. */
export function countLog(world: World): LogCount {
  const log = world.requests;
  return { requests: log.length, aborted: log.filter((entry) => entry.aborted).length };
}

const THREAD_URL = new URL('./world-thread.js', import.meta.url);

/** `worker-thread` when running from the build (`bench/dist`), else `in-process`. */
export function defaultPlacement(): ServerPlacement {
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(THREAD_URL))
    ? 'worker-thread'
    : 'in-process';
}

/** A request to the world thread, and its answer. */
export type ThreadRequest =
  | { readonly id: number; readonly op: 'start'; readonly ref: WorldRef }
  | { readonly id: number; readonly op: 'clearLog' | 'count' | 'close' };
export type ThreadReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

function hostInThread(ref: WorldRef): Promise<HostedWorld> {
  const worker = new Worker(THREAD_URL);
  const pending = new Map<number, { done: (value: unknown) => void; fail: (error: Error) => void }>();
  let next = 0;
  worker.on('message', (reply: ThreadReply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiting?.done(reply.value);
    else waiting?.fail(new DiscoveryError(ErrorCodes.INVALID_CONFIG, `world thread: ${reply.error}`));
  });
  worker.on('error', (error) => {
    for (const waiting of pending.values()) waiting.fail(error);
    pending.clear();
  });
  const call = <T>(request: WithoutId<ThreadRequest>): Promise<T> =>
    new Promise<T>((done, fail) => {
      const id = next++;
      pending.set(id, { done: done as (value: unknown) => void, fail });
      worker.postMessage({ ...request, id });
    });
  return call<HostedResource[]>({ op: 'start', ref }).then(
    (resources) => ({
      placement: 'worker-thread',
      resources,
      clearLog: () => call<void>({ op: 'clearLog' }),
      count: () => call<LogCount>({ op: 'count' }),
      close: async () => {
        await call<void>({ op: 'close' });
        await worker.terminate();
      },
    }),
    async (error: unknown) => {
      await worker.terminate();
      throw error;
    },
  );
}

async function hostInProcess(ref: WorldRef): Promise<HostedWorld> {
  const { world, resources } = await startLocalWorld(ref);
  return {
    placement: 'in-process',
    resources,
    clearLog: async () => world.clearLog(),
    count: async () => countLog(world),
    close: () => world.close(),
  };
}

/** Starts the world `ref` names, on a worker thread or in this thread. */
export function hostWorld(
  ref: WorldRef,
  placement: ServerPlacement = defaultPlacement(),
): Promise<HostedWorld> {
  return placement === 'worker-thread' ? hostInThread(ref) : hostInProcess(ref);
}

/**
 * The world's count once it has stopped moving: read, wait `quietMs`, read again, until two reads
 * agree (at most `maxWaitMs`). Requests a client sent just before it returned, and aborts of its
 * leftovers, reach the servers' log a moment later — later still on a busy machine — and must be
 * counted for this run, not leak into the next one. Called outside the timed part.
 */
export async function settledCount(world: HostedWorld, quietMs = 25, maxWaitMs = 1000): Promise<LogCount> {
  let last = await world.count();
  for (let waited = 0; waited < maxWaitMs; waited += quietMs) {
    await sleep(quietMs);
    const now = await world.count();
    if (now.requests === last.requests && now.aborted === last.aborted) return now;
    last = now;
  }
  return last;
}
