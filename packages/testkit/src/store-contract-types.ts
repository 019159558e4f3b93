import { randomBytes } from 'node:crypto';
import { type DiscoveryError, ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import type { Store } from '@oauth-discovery/store';
import { expect } from 'vitest';

/** A driver under the store contract test: how to open the store it tests. */
export interface StoreDriverHarness {
  /**
   * Another handle on the same shared store (a new connection where the driver has them): two
   * handles contend like two instances of a fleet. The contract uses a fresh key prefix per test.
   */
  open(): Promise<Store>;
  /** Child processes contending on the store (at least CAS and the lock). Omit for an in-process driver. */
  readonly worker?: StoreWorkerSpec | undefined;
  /** Deletes what the run left and closes every handle. */
  dispose(): Promise<void>;
}

/** How to start a worker process: a Node.js ESM script that calls `runStoreWorker` (`@oauth-discovery/testkit/store-worker`). */
export interface StoreWorkerSpec {
  /** Absolute path of the script (it imports built `dist` files: build before testing). */
  readonly script: string;
  /** JSON-serialisable config the script's `open` receives (a folder, a Redis URL and prefix). */
  readonly config: unknown;
}

/** A unique key prefix for one test. */
export function uniquePrefix(label: string): string {
  return `contract:${label}:${randomBytes(6).toString('hex')}:`;
}

/** Asserts that `promise` rejects with a `DiscoveryError` of `code`; returns the error. */
export async function rejectsWithCode(
  promise: Promise<unknown> | (() => unknown),
  code: keyof typeof ErrorCodes,
): Promise<DiscoveryError> {
  let caught: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    caught = error;
  }
  if (!isDiscoveryError(caught, ErrorCodes[code])) {
    expect.fail(`expected ${code}, got ${caught === undefined ? 'no error' : String(caught)}`);
  }
  return caught as DiscoveryError;
}

/** A promise and its resolver, for ordering concurrent steps without timers. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
