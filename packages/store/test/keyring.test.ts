import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKeyring,
  decryptValue,
  encryptValue,
  keyringFromEnvironment,
  loadKeyringFile,
  parseKeyList,
  STORE_KEY_FILE_ENV,
  STORE_KEYS_ENV,
} from '../src/index.js';

const b64 = () => randomBytes(32).toString('base64');

async function codeOf(fn: () => unknown): Promise<string | undefined> {
  try {
    await fn();
  } catch (error) {
    return isDiscoveryError(error) ? error.code : `not a DiscoveryError: ${String(error)}`;
  }
  return undefined;
}

describe('keys from the environment', () => {
  it('id:base64 pairs, the first is current; base64url and surrounding spaces accepted', async () => {
    const k1 = b64();
    const k2 = randomBytes(32).toString('base64url');
    const keyring = await keyringFromEnvironment({ [STORE_KEYS_ENV]: ` 2026-12:${k2} , 2026-06:${k1} ` });
    expect(keyring.current.id).toBe('2026-12');
    expect([...keyring.keys.keys()]).toEqual(['2026-12', '2026-06']);
    expect(Buffer.from(keyring.keys.get('2026-06')?.key ?? []).toString('base64')).toBe(k1);
  });

  it.each([
    ['no variable', {}],
    ['both variables', { [STORE_KEYS_ENV]: `a:${b64()}`, [STORE_KEY_FILE_ENV]: '/nope' }],
    ['no colon', { [STORE_KEYS_ENV]: b64() }],
    ['empty id', { [STORE_KEYS_ENV]: `:${b64()}` }],
    ['bad id', { [STORE_KEYS_ENV]: `a/b:${b64()}` }],
    ['short key', { [STORE_KEYS_ENV]: `a:${randomBytes(16).toString('base64')}` }],
    ['not base64', { [STORE_KEYS_ENV]: 'a:not base64!' }],
    ['duplicate id', { [STORE_KEYS_ENV]: `a:${b64()},a:${b64()}` }],
    ['only commas', { [STORE_KEYS_ENV]: ',,' }],
  ])('%s: INVALID_CONFIG', async (_name, env) => {
    expect(await codeOf(() => keyringFromEnvironment(env))).toBe(ErrorCodes.INVALID_CONFIG);
  });

  it('errors name the variable and the key id, never the key material', async () => {
    const secret = randomBytes(16).toString('base64');
    try {
      parseKeyList(`mykey:${secret}`, STORE_KEYS_ENV);
      expect.fail('accepted a 16-byte key');
    } catch (error) {
      expect(String(error)).toContain(STORE_KEYS_ENV);
      expect(String(error)).toContain('mykey');
      expect(String(error)).not.toContain(secret);
    }
  });
});

describe('key files', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'od-keys-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (name: string, content: string, mode = 0o600) => {
    const path = join(dir, name);
    await writeFile(path, content);
    await chmod(path, mode);
    return path;
  };

  it('JSON { current, keys }: current names the write key; via OAUTH_DISCOVERY_STORE_KEY_FILE too', async () => {
    const path = await file(
      'keys.json',
      JSON.stringify({ current: 'new', keys: { old: b64(), new: b64() } }),
    );
    const keyring = await loadKeyringFile(path);
    expect(keyring.current.id).toBe('new');
    expect(keyring.keys.size).toBe(2);
    expect((await keyringFromEnvironment({ [STORE_KEY_FILE_ENV]: path })).current.id).toBe('new');
  });

  it('a file others may read is refused unless allowInsecureKeyFilePermissions', async () => {
    const path = await file('open.json', JSON.stringify({ keys: { a: b64() } }), 0o644);
    expect(await codeOf(() => loadKeyringFile(path))).toBe(ErrorCodes.INVALID_CONFIG);
    expect((await loadKeyringFile(path, { allowInsecureKeyFilePermissions: true })).current.id).toBe('a');
  });

  it.each([
    ['not JSON', 'keys: nope'],
    ['no keys', '{}'],
    ['keys is an array', '{"keys": []}'],
    ['empty keys', '{"keys": {}}'],
    ['a key that is not a string', '{"keys": {"a": 1}}'],
    ['current not in keys', `{"current": "b", "keys": {"a": "${b64()}"}}`],
    ['current not a string', `{"current": 1, "keys": {"a": "${b64()}"}}`],
  ])('%s: INVALID_CONFIG', async (name, content) => {
    const path = await file(`${name.replace(/\W/g, '-')}.json`, content);
    expect(await codeOf(() => loadKeyringFile(path))).toBe(ErrorCodes.INVALID_CONFIG);
  });

  it('a missing file: INVALID_CONFIG naming it', async () => {
    const path = join(dir, 'missing.json');
    expect(await codeOf(() => loadKeyringFile(path))).toBe(ErrorCodes.INVALID_CONFIG);
  });
});

describe('encryptValue / decryptValue', () => {
  const keyring = createKeyring([{ id: 'k', key: randomBytes(32) }]);

  it('round-trips and binds the store key', () => {
    const sealed = encryptValue(keyring, 'users/alice', 'token');
    expect(decryptValue(keyring, 'users/alice', sealed)).toBe('token');
    expect(() => decryptValue(keyring, 'users/bob', sealed)).toThrow(
      expect.objectContaining({ code: 'STORE_TAMPERED' }),
    );
  });

  it('raw key bytes of another length: INVALID_CONFIG', async () => {
    expect(await codeOf(() => createKeyring([{ id: 'k', key: randomBytes(31) }]))).toBe(
      ErrorCodes.INVALID_CONFIG,
    );
    expect(await codeOf(() => createKeyring([]))).toBe(ErrorCodes.INVALID_CONFIG);
    expect(await codeOf(() => createKeyring([{ id: 'k', key: randomBytes(32) }], 'other'))).toBe(
      ErrorCodes.INVALID_CONFIG,
    );
  });
});
