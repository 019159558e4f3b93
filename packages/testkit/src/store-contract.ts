import { setTimeout as sleep } from 'node:timers/promises';
import type { Store, WriteResult } from '@oauth-discovery/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeCryptoContract } from './store-contract-crypto.js';
import { storeLockContract } from './store-contract-locks.js';
import { storeProcessContract } from './store-contract-processes.js';
import { rejectsWithCode, type StoreDriverHarness, uniquePrefix } from './store-contract-types.js';

export type { StoreDriverHarness, StoreWorkerSpec } from './store-contract-types.js';
export { deferred, rejectsWithCode, uniquePrefix } from './store-contract-types.js';
export type { StoreWorkerJob } from './store-worker.js';

/** Options of {@link testStoreDriver}. */
export interface StoreContractOptions {
  /** Run the contention tests with real processes (the harness must have a `worker`). Every shared driver should. */
  readonly processes?: boolean | undefined;
}

/** What each part of the contract gets: two handles on the shared store and the harness. */
export interface StoreContractContext {
  /** First handle. */
  readonly a: () => Store;
  /** Second handle (another connection where the driver has them). */
  readonly b: () => Store;
  readonly harness: () => StoreDriverHarness;
}

/**
 * The contract every `Store` driver passes (after unstorage's `testDriver`): records, versions and
 * compare-and-swap (two writers of one version: exactly one wins), delete, TTL, list, bad input
 * (exact error codes), lock mutual exclusion, lease expiry and token-checked release, encryption
 * (round trip, rotation, wrong key, tampering) through `createEncryptedStore`, and — when the
 * harness has a worker — real processes contending on CAS and on the lock.
 *
 * Call it at the top level of a test file: `testStoreDriver('file', async () => harness, { processes: true })`.
 */
export function testStoreDriver(
  name: string,
  setup: () => Promise<StoreDriverHarness>,
  options: StoreContractOptions = {},
): void {
  describe(`store contract: ${name}`, () => {
    let harness: StoreDriverHarness | undefined;
    let first: Store | undefined;
    let second: Store | undefined;
    beforeAll(async () => {
      harness = await setup();
      first = await harness.open();
      second = await harness.open();
    });
    afterAll(async () => {
      await harness?.dispose();
    });
    const context: StoreContractContext = {
      a: () => first as Store,
      b: () => second as Store,
      harness: () => harness as StoreDriverHarness,
    };

    storeRecordContract(context);
    storeLockContract(context);
    storeCryptoContract(context);
    storeProcessContract(context, options.processes === true);
  });
}

function storeRecordContract({ a, b }: StoreContractContext): void {
  describe('records', () => {
    it('get / set / delete, with a new version on every write', async () => {
      const key = `${uniquePrefix('crud')}x`;
      expect(await a().get(key)).toBeUndefined();
      const first = await a().set(key, 'one');
      expect(first.ok).toBe(true);
      const read = await b().get(key);
      expect(read?.value).toBe('one');
      expect(read?.version).toBe(first.ok ? first.version : 'unreachable');
      expect(read?.expiresAt).toBeUndefined();
      const second = await b().set(key, 'two');
      expect(second.ok && second.version).not.toBe(first.ok && first.version);
      expect((await a().get(key))?.value).toBe('two');
      expect(await a().delete(key)).toEqual({ ok: true, version: null });
      expect(await b().get(key)).toBeUndefined();
      expect(await a().delete(key)).toEqual({ ok: true, version: null });
    });

    it('ifVersion null creates only: the second create is a version conflict naming the stored version', async () => {
      const key = `${uniquePrefix('create')}x`;
      const created = await a().set(key, 'mine', { ifVersion: null });
      expect(created.ok).toBe(true);
      const again = await b().set(key, 'theirs', { ifVersion: null });
      expect(again).toEqual({
        ok: false,
        reason: 'version-conflict',
        currentVersion: created.ok ? created.version : '',
      });
      expect((await a().get(key))?.value).toBe('mine');
    });

    it('two writers with the same version: exactly one wins, the loser learns the winning version', async () => {
      const key = `${uniquePrefix('cas')}x`;
      const base = await a().set(key, 'base');
      const version = base.ok ? base.version : '';
      for (let round = 0; round < 5; round += 1) {
        const current = (await a().get(key))?.version ?? version;
        const results = await Promise.all([
          a().set(key, `a${round}`, { ifVersion: current }),
          b().set(key, `b${round}`, { ifVersion: current }),
        ]);
        const winners = results.filter((result) => result.ok);
        expect(winners).toHaveLength(1);
        const winner = winners[0];
        const loser = results.find((result) => !result.ok);
        const stored = await b().get(key);
        expect(stored?.version).toBe(winner?.ok ? winner.version : 'none');
        expect(loser).toEqual({ ok: false, reason: 'version-conflict', currentVersion: stored?.version });
        expect(stored?.value).toBe(results[0]?.ok ? `a${round}` : `b${round}`);
      }
    });

    it('a version is never reused: after delete and re-create the old version conflicts', async () => {
      const key = `${uniquePrefix('aba')}x`;
      const old = await a().set(key, 'old');
      await a().delete(key);
      await a().set(key, 'new');
      const stale = await b().set(key, 'stale', { ifVersion: versionOf(old) });
      expect(stale.ok).toBe(false);
      expect((await a().get(key))?.value).toBe('new');
      const gone = await b().set(`${key}-absent`, 'x', { ifVersion: versionOf(old) });
      expect(gone).toEqual({ ok: false, reason: 'version-conflict', currentVersion: null });
    });

    it('delete with ifVersion deletes only that version', async () => {
      const key = `${uniquePrefix('del')}x`;
      const one = await a().set(key, 'one');
      const two = await a().set(key, 'two');
      const refused = await b().delete(key, { ifVersion: versionOf(one) });
      expect(refused).toEqual({
        ok: false,
        reason: 'version-conflict',
        currentVersion: versionOf(two),
      });
      expect((await a().get(key))?.value).toBe('two');
      expect(await b().delete(key, { ifVersion: versionOf(two) })).toEqual({
        ok: true,
        version: null,
      });
      expect(await a().get(key)).toBeUndefined();
    });

    it('ttlMs: the record carries expiresAt and is gone once it passed', async () => {
      const prefix = uniquePrefix('ttl');
      const before = Date.now();
      await a().set(`${prefix}long`, 'v', { ttlMs: 60_000 });
      const long = await b().get(`${prefix}long`);
      expect(long?.expiresAt).toBeGreaterThan(before);
      expect(long?.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
      await a().set(`${prefix}short`, 'v', { ttlMs: 1 });
      await sleep(30);
      expect(await b().get(`${prefix}short`)).toBeUndefined();
      expect(await b().list(prefix)).toEqual([`${prefix}long`]);
      const recreated = await a().set(`${prefix}short`, 'again', { ifVersion: null });
      expect(recreated.ok).toBe(true);
    });

    it('list(prefix): sorted keys under the prefix only, glob characters taken literally', async () => {
      const prefix = uniquePrefix('list');
      for (const key of ['b', 'a', 'a*b', 'c?', '[x]']) await a().set(`${prefix}${key}`, key);
      await a().set(`${prefix.slice(0, -1)}-other`, 'no');
      expect(await b().list(prefix)).toEqual([
        `${prefix}[x]`,
        `${prefix}a`,
        `${prefix}a*b`,
        `${prefix}b`,
        `${prefix}c?`,
      ]);
      expect(await b().list(`${prefix}a*`)).toEqual([`${prefix}a*b`]);
      expect(await b().list(`${prefix}zzz`)).toEqual([]);
    });

    it('keys are opaque: separators, dots, unicode and 1024 characters round-trip', async () => {
      const prefix = uniquePrefix('keys');
      const keys = ['../../etc/passwd', 'a/b\\c', 'ü ñ 漢字 🙂', 'x'.repeat(1024 - prefix.length), ':'];
      for (const key of keys) await a().set(`${prefix}${key}`, `v:${key}`);
      for (const key of keys) expect((await b().get(`${prefix}${key}`))?.value).toBe(`v:${key}`);
      expect(await b().list(prefix)).toEqual(keys.map((key) => `${prefix}${key}`).sort());
    });

    it('values are strings kept exactly (empty, unicode, large)', async () => {
      const prefix = uniquePrefix('values');
      const values = ['', ' ', '{"json":true}', '🙂\n\0\t', 'v'.repeat(200_000)];
      for (const [i, value] of values.entries()) await a().set(`${prefix}${i}`, value);
      for (const [i, value] of values.entries()) expect((await b().get(`${prefix}${i}`))?.value).toBe(value);
    });

    it('bad input: INVALID_CONFIG for each', async () => {
      const store = a();
      const bad = (fn: () => unknown) => rejectsWithCode(async () => fn(), 'INVALID_CONFIG');
      await bad(() => store.get(''));
      await bad(() => store.get('x'.repeat(1025)));
      await bad(() => store.get('nul\0key'));
      await bad(() => store.get(42 as unknown as string));
      await bad(() => store.set('k', 42 as unknown as string));
      await bad(() => store.set('k', 'v', { ifVersion: '' }));
      await bad(() => store.set('k', 'v', { ifVersion: 7 as unknown as string }));
      await bad(() => store.set('k', 'v', { ttlMs: 0 }));
      await bad(() => store.set('k', 'v', { ttlMs: 1.5 }));
      await bad(() => store.delete('k', { ifVersion: '' }));
      await bad(() => store.list(undefined as unknown as string));
      await bad(() => store.withLock('', 1000, () => undefined));
      await bad(() => store.withLock('k', 0, () => undefined));
      await bad(() => store.withLock('k', 1000, () => undefined, { waitMs: -1 }));
      await bad(() => store.withLock('k', 1000, undefined as unknown as () => undefined));
    });
  });
}

function versionOf(result: WriteResult): string {
  if (!result.ok || result.version === null) throw new Error('expected a successful write');
  return result.version;
}
