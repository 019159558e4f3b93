import { randomUUID } from 'node:crypto';
import { runWithLock } from './lock-runner.js';
import type { Store, StoreRecord, WriteResult } from './types.js';
import { assertDeleteOptions, assertKey, assertPrefix, assertSetOptions, assertValue } from './validate.js';

/**
 * A {@link Store} in this process's memory: for tests and single-process tools. Nothing survives
 * the process and nothing is shared with another one — use `createFileStore` or a Redis store for
 * that. Same semantics as every driver (it passes the shared contract test).
 */
export function createMemoryStore(): Store {
  const records = new Map<string, StoreRecord>();
  const locks = new Map<string, { token: string; expiresAt: number }>();

  const live = (key: string): StoreRecord | undefined => {
    const record = records.get(key);
    if (record?.expiresAt !== undefined && record.expiresAt <= Date.now()) {
      records.delete(key);
      return undefined;
    }
    return record;
  };
  const conflict = (key: string): WriteResult => ({
    ok: false,
    reason: 'version-conflict',
    currentVersion: live(key)?.version ?? null,
  });

  return {
    async get(key) {
      assertKey(key);
      return live(key);
    },
    async set(key, value, options = {}) {
      assertKey(key);
      assertValue(value);
      assertSetOptions(options);
      const current = live(key);
      if (options.ifVersion !== undefined && (current?.version ?? null) !== options.ifVersion) {
        return conflict(key);
      }
      const version = randomUUID();
      const expiresAt = options.ttlMs === undefined ? undefined : Date.now() + options.ttlMs;
      records.set(key, { value, version, expiresAt });
      return { ok: true, version };
    },
    async delete(key, options = {}) {
      assertKey(key);
      assertDeleteOptions(options);
      const current = live(key);
      if (options.ifVersion !== undefined && current?.version !== options.ifVersion) return conflict(key);
      records.delete(key);
      return { ok: true, version: null };
    },
    async list(prefix) {
      assertPrefix(prefix);
      return [...records.keys()].filter((key) => key.startsWith(prefix) && live(key)).sort();
    },
    withLock(key, leaseMs, fn, options) {
      return runWithLock(
        async (lockKey, token, lease) => {
          const held = locks.get(lockKey);
          if (held !== undefined && held.expiresAt > Date.now()) return undefined;
          locks.set(lockKey, { token, expiresAt: Date.now() + lease });
          return async () => {
            if (locks.get(lockKey)?.token === token) locks.delete(lockKey);
          };
        },
        key,
        leaseMs,
        fn,
        options,
      );
    },
    async close() {
      records.clear();
      locks.clear();
    },
  } satisfies Store;
}
