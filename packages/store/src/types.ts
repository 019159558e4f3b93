/**
 * One stored record: its value and the version it was written with. A version is an opaque string,
 * new on every write and never reused (not even after a delete), so a compare-and-swap against an
 * old version can never succeed by accident (no ABA).
 */
export interface StoreRecord {
  readonly value: string;
  readonly version: string;
  /** When the record stops existing, in milliseconds since the epoch; absent when it never expires. */
  readonly expiresAt?: number | undefined;
}

/** Options of {@link Store.set}. */
export interface SetOptions {
  /**
   * The compare-and-swap condition. `undefined` (the default): write whatever is stored. `null`:
   * write only when no record exists (create). A string: write only when the stored record has
   * exactly this version.
   */
  readonly ifVersion?: string | null | undefined;
  /** The record expires this many milliseconds after the write (a positive integer); default never. */
  readonly ttlMs?: number | undefined;
}

/** Options of {@link Store.delete}. */
export interface DeleteOptions {
  /** Delete only when the stored record has exactly this version; default: delete whatever is stored. */
  readonly ifVersion?: string | undefined;
}

/**
 * What a conditional write did. A version conflict is an expected outcome, not an exception: the
 * loser reads the record again (`currentVersion` says what it lost to; `null` when nothing is stored)
 * and decides — it must never write blindly over the winner.
 */
export type WriteResult =
  | {
      readonly ok: true;
      /** The version now stored; `null` after a delete. */
      readonly version: string | null;
    }
  | {
      readonly ok: false;
      readonly reason: 'version-conflict';
      /** The version stored when the write was refused; `null` when no record exists. */
      readonly currentVersion: string | null;
    };

/** The lock held while the function given to {@link Store.withLock} runs. */
export interface LockHandle {
  /** The lock's key (in the lock namespace, apart from record keys). */
  readonly key: string;
  /** The holder's random token: only this token releases the lock. */
  readonly token: string;
  /**
   * When the lease ends by this process's clock (milliseconds since the epoch). After that another
   * holder may take the lock: finish before, or check {@link LockHandle.signal}.
   */
  readonly expiresAt: number;
  /** Aborted when the lease has run out by this process's clock: pass it to the requests you make under the lock. */
  readonly signal: AbortSignal;
}

/** Options of {@link Store.withLock}. */
export interface LockOptions {
  /**
   * How long to wait for a lock another holder has, in milliseconds: `0` tries once. Default 10 000.
   * Past it `withLock` throws `STORE_LOCK_TIMEOUT`.
   */
  readonly waitMs?: number | undefined;
  /** Stops waiting for the lock (`ABORTED`). It does not interrupt the function once it runs. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A store a fleet of instances can share: versioned string records with compare-and-swap, and
 * leased locks. Values are strings (serialise with `JSON.stringify`); wrap a store with
 * `createEncryptedStore` to keep them encrypted at rest. Drivers: `createFileStore` (one machine,
 * the embedded default), `createMemoryStore` (one process) and `createRedisStore` of
 * `@oauth-discovery/store-redis` (a fleet). Every driver passes the same contract test.
 *
 * Errors are `DiscoveryError`s: `INVALID_CONFIG` for a bad argument, `STORE_UNAVAILABLE` when the
 * backend fails, `STORE_LOCK_TIMEOUT` and `ABORTED` from `withLock`.
 */
export interface Store {
  /** The record stored at `key`, or `undefined` when none exists (or it expired). */
  get(key: string): Promise<StoreRecord | undefined>;
  /** Writes `value` at `key`, unconditionally or under the compare-and-swap condition of `options.ifVersion`. */
  set(key: string, value: string, options?: SetOptions): Promise<WriteResult>;
  /** Deletes the record at `key` (nothing to delete is success), optionally only at one version. */
  delete(key: string, options?: DeleteOptions): Promise<WriteResult>;
  /** The keys of the records whose key starts with `prefix`, sorted. Meant for small sets (one user's records). */
  list(prefix: string): Promise<string[]>;
  /**
   * Runs `fn` while holding the lock `key` — mutual exclusion across every process sharing the
   * store — and releases it after `fn` settles. The lock is a lease of `leaseMs`: when the holder dies
   * the lock is free once the lease ends. Release is token-checked: a holder whose lease ran out
   * cannot release the lock of the holder that took over. A lease is not a fence: pair the lock with
   * a compare-and-swap write (see docs/stores.md).
   */
  withLock<T>(
    key: string,
    leaseMs: number,
    fn: (lock: LockHandle) => Promise<T> | T,
    options?: LockOptions,
  ): Promise<T>;
  /** Releases the driver's resources (connections, timers). The store is not usable afterwards. */
  close(): Promise<void>;
}
