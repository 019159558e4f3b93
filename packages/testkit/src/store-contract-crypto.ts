import { randomBytes } from 'node:crypto';
import { createEncryptedStore, createKeyring } from '@oauth-discovery/store';
import { describe, expect, it } from 'vitest';
import type { StoreContractContext } from './store-contract.js';
import { rejectsWithCode, uniquePrefix } from './store-contract-types.js';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const old = createKeyring([{ id: 'k1', key: k1 }]);
const rotated = createKeyring([
  { id: 'k2', key: k2 },
  { id: 'k1', key: k1 },
]);
const newOnly = createKeyring([{ id: 'k2', key: k2 }]);
const impostor = createKeyring([{ id: 'k1', key: randomBytes(32) }]);

const kidOf = (raw: string | undefined): unknown => (JSON.parse(raw ?? '{}') as { kid?: unknown }).kid;

/** Encryption tests of the store contract, through `createEncryptedStore` over the driver. */
export function storeCryptoContract({ a, b }: StoreContractContext): void {
  describe('encrypted at rest', () => {
    it('round trip: the driver holds only ciphertext; versions and CAS work through the wrapper', async () => {
      const key = `${uniquePrefix('crypt')}token`;
      const secret = 'refresh-token-🙂-'.repeat(20);
      const writer = createEncryptedStore(a(), old);
      const reader = createEncryptedStore(b(), old);
      const written = await writer.set(key, secret, { ifVersion: null });
      expect(written.ok).toBe(true);
      const raw = await b().get(key);
      expect(raw?.value).not.toContain('refresh-token');
      expect(raw?.version).toBe(written.ok ? written.version : '');
      expect(kidOf(raw?.value)).toBe('k1');
      const read = await reader.get(key);
      expect(read).toEqual({ ...raw, value: secret });
      const lost = await reader.set(key, 'x', { ifVersion: null });
      expect(lost.ok).toBe(false);
      // Same plaintext twice: different ciphertexts (fresh IV).
      await writer.set(key, secret);
      expect((await b().get(key))?.value).not.toBe(raw?.value);
    });

    it('rotation: old keys still decrypt, writes use the newest, rotate() re-encrypts, then the old key may go', async () => {
      const prefix = uniquePrefix('rotate');
      const before = createEncryptedStore(a(), old);
      for (const name of ['one', 'two', 'three']) await before.set(`${prefix}${name}`, `secret-${name}`);
      const after = createEncryptedStore(b(), rotated);
      expect((await after.get(`${prefix}one`))?.value).toBe('secret-one');
      await after.set(`${prefix}two`, 'secret-two-new');
      expect(kidOf((await a().get(`${prefix}two`))?.value)).toBe('k2');
      await rejectsWithCode(createEncryptedStore(a(), newOnly).get(`${prefix}one`), 'STORE_KEY_MISSING');
      expect(await after.rotate(prefix)).toEqual({ rewritten: 2, current: 1, conflicts: 0 });
      expect(await after.rotate(prefix)).toEqual({ rewritten: 0, current: 3, conflicts: 0 });
      const only = createEncryptedStore(a(), newOnly);
      expect((await only.get(`${prefix}one`))?.value).toBe('secret-one');
      expect((await only.get(`${prefix}two`))?.value).toBe('secret-two-new');
      expect((await only.get(`${prefix}three`))?.value).toBe('secret-three');
    });

    it('a key id with other key material: STORE_WRONG_KEY', async () => {
      const key = `${uniquePrefix('wrong')}x`;
      await createEncryptedStore(a(), old).set(key, 'secret');
      const error = await rejectsWithCode(createEncryptedStore(b(), impostor).get(key), 'STORE_WRONG_KEY');
      expect(error.isSecurityError).toBe(true);
      expect(error.message).not.toContain('secret');
    });

    it('tampering: a changed byte, a truncated record, a record moved to another key, plaintext — STORE_TAMPERED', async () => {
      const prefix = uniquePrefix('tamper');
      const store = createEncryptedStore(a(), rotated);
      await store.set(`${prefix}alice`, 'alice-token');
      const raw = (await b().get(`${prefix}alice`))?.value ?? '';
      const envelope = JSON.parse(raw) as Record<string, string>;
      const flip = (text: string) => `${text[0] === 'A' ? 'B' : 'A'}${text.slice(1)}`;
      const variants = {
        ct: JSON.stringify({ ...envelope, ct: flip(envelope.ct ?? '') }),
        tag: JSON.stringify({ ...envelope, tag: flip(envelope.tag ?? '') }),
        iv: JSON.stringify({ ...envelope, iv: flip(envelope.iv ?? '') }),
        truncated: raw.slice(0, raw.length - 10),
        plain: 'alice-token',
        wrongFormat: JSON.stringify({ ...envelope, v: 2 }),
      };
      for (const [name, value] of Object.entries(variants)) {
        await b().set(`${prefix}${name}`, value);
        await rejectsWithCode(store.get(`${prefix}${name}`), 'STORE_TAMPERED');
      }
      // Alice's ciphertext copied under Bob's key: bound to its key by the associated data.
      await b().set(`${prefix}bob`, raw);
      const moved = await rejectsWithCode(store.get(`${prefix}bob`), 'STORE_TAMPERED');
      expect(moved.isSecurityError).toBe(true);
      // Relabelled as written with k1 (id and check value of k1): k1 does not authenticate k2's ciphertext.
      await b().set(`${prefix}relabel`, JSON.stringify({ ...envelope, kid: 'k1', kcv: old.current.check }));
      await rejectsWithCode(store.get(`${prefix}relabel`), 'STORE_TAMPERED');
      // Relabelled with the id only: the check value says the key is not the one that wrote it.
      await b().set(`${prefix}relabel-id`, JSON.stringify({ ...envelope, kid: 'k1' }));
      await rejectsWithCode(store.get(`${prefix}relabel-id`), 'STORE_WRONG_KEY');
      expect((await store.get(`${prefix}alice`))?.value).toBe('alice-token');
    });
  });
}
