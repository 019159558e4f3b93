import { once } from 'node:events';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { LockHandle } from '@oauth-discovery/store';
import { describe, expect, it } from 'vitest';
import type { StoreContractContext } from './store-contract.js';
import { deferred, rejectsWithCode, uniquePrefix } from './store-contract-types.js';

/** Lock tests of the store contract: mutual exclusion, timeouts, lease expiry, token-checked release. */
export function storeLockContract({ a, b }: StoreContractContext): void {
  describe('withLock', () => {
    it('mutual exclusion: 24 read-modify-write rounds from two handles lose no update and never overlap', async () => {
      const prefix = uniquePrefix('mutex');
      const counter = `${prefix}counter`;
      await a().set(counter, '0');
      let inside = 0;
      let most = 0;
      const round = (store: ReturnType<typeof a>) =>
        store.withLock(`${prefix}lock`, 10_000, async () => {
          inside += 1;
          most = Math.max(most, inside);
          const value = Number((await store.get(counter))?.value);
          await yieldToEventLoop();
          await store.set(counter, String(value + 1));
          inside -= 1;
        });
      await Promise.all(Array.from({ length: 24 }, (_, i) => round(i % 2 === 0 ? a() : b())));
      expect(most).toBe(1);
      expect((await a().get(counter))?.value).toBe('24');
    });

    it('returns what the function returns, hands it the lock, and frees the lock afterwards', async () => {
      const key = `${uniquePrefix('result')}lock`;
      let seen: LockHandle | undefined;
      const result = await a().withLock(key, 5_000, (lock) => {
        seen = lock;
        return 'done';
      });
      expect(result).toBe('done');
      expect(seen?.key).toBe(key);
      expect(seen?.token).toMatch(/^[A-Za-z0-9_-]{16,}$/);
      expect(seen?.signal.aborted).toBe(false);
      expect(await b().withLock(key, 5_000, () => 'again', { waitMs: 0 })).toBe('again');
    });

    it('a throwing function rejects withLock with its error and frees the lock', async () => {
      const key = `${uniquePrefix('throws')}lock`;
      const failure = new Error('inside');
      await expect(
        a().withLock(key, 5_000, async () => {
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await b().withLock(key, 5_000, () => 'free', { waitMs: 0 })).toBe('free');
    });

    it('a held lock: waitMs 0 gives STORE_LOCK_TIMEOUT; an aborted wait gives ABORTED', async () => {
      const key = `${uniquePrefix('held')}lock`;
      const holding = deferred();
      const letGo = deferred();
      const holder = a().withLock(key, 10_000, async () => {
        holding.resolve();
        await letGo.promise;
      });
      await holding.promise;
      await rejectsWithCode(
        b().withLock(key, 10_000, () => 'no', { waitMs: 0 }),
        'STORE_LOCK_TIMEOUT',
      );
      await rejectsWithCode(
        a().withLock(key, 10_000, () => 'no', { waitMs: 0 }),
        'STORE_LOCK_TIMEOUT',
      );
      const controller = new AbortController();
      const waiting = b().withLock(key, 10_000, () => 'no', { waitMs: 10_000, signal: controller.signal });
      controller.abort();
      await rejectsWithCode(waiting, 'ABORTED');
      letGo.resolve();
      await holder;
      expect(await b().withLock(key, 1_000, () => 'free', { waitMs: 0 })).toBe('free');
    });

    it('a lock and a record may share a key without touching each other', async () => {
      const key = `${uniquePrefix('apart')}same`;
      await a().set(key, 'record');
      await a().withLock(key, 5_000, async () => {
        expect((await b().get(key))?.value).toBe('record');
        expect((await b().set(key, 'changed')).ok).toBe(true);
      });
      expect(await b().list(key)).toEqual([key]);
    });

    it('many takers of one expired lock: still one holder at a time, no update lost', async () => {
      const prefix = uniquePrefix('takeover');
      const key = `${prefix}lock`;
      const counter = `${prefix}counter`;
      await a().set(counter, '0');
      const held = deferred();
      const never = deferred();
      // A holder that never returns in time: its 150 ms lease runs out while six others wait.
      const abandoned = a().withLock(key, 150, async () => {
        held.resolve();
        await never.promise;
      });
      await held.promise;
      let inside = 0;
      let most = 0;
      const taker = (store: ReturnType<typeof a>) =>
        store.withLock(
          key,
          10_000,
          async () => {
            inside += 1;
            most = Math.max(most, inside);
            const value = Number((await store.get(counter))?.value);
            await yieldToEventLoop();
            await store.set(counter, String(value + 1));
            inside -= 1;
          },
          { waitMs: 15_000 },
        );
      await Promise.all(Array.from({ length: 6 }, (_, i) => taker(i % 2 === 0 ? a() : b())));
      never.resolve();
      await abandoned;
      expect(most).toBe(1);
      expect((await a().get(counter))?.value).toBe('6');
    });

    it('lease expiry: a holder that never lets go loses the lock after its lease; its late release cannot free the new holder', async () => {
      const key = `${uniquePrefix('lease')}lock`;
      const takerInside = deferred();
      const staleDone = deferred();
      const staleHolding = deferred();
      let staleSignalAborted = false;
      let staleToken = '';
      const stale = a().withLock(key, 200, async (lock) => {
        staleToken = lock.token;
        staleHolding.resolve();
        await takerInside.promise;
        if (!lock.signal.aborted) await once(lock.signal, 'abort');
        staleSignalAborted = lock.signal.aborted;
      });
      await staleHolding.promise;
      // Waits (polling) until the 200 ms lease has run out, then takes over.
      const taker = b().withLock(
        key,
        20_000,
        async (lock) => {
          expect(lock.token).not.toBe(staleToken);
          takerInside.resolve();
          await stale;
          staleDone.resolve();
          // The stale holder's function returned and its release ran: the lock must still be ours.
          await rejectsWithCode(
            a().withLock(key, 1_000, () => 'stolen', { waitMs: 0 }),
            'STORE_LOCK_TIMEOUT',
          );
          await rejectsWithCode(
            b().withLock(key, 1_000, () => 'stolen', { waitMs: 0 }),
            'STORE_LOCK_TIMEOUT',
          );
          return 'taken over';
        },
        { waitMs: 15_000 },
      );
      expect(await taker).toBe('taken over');
      await staleDone.promise;
      expect(staleSignalAborted).toBe(true);
      expect(await a().withLock(key, 1_000, () => 'free', { waitMs: 0 })).toBe('free');
    });
  });
}
