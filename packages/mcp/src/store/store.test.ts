import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore, defaultConfigDir } from './file-store.js';
import { createMemoryStore } from './memory-store.js';
import { recordName } from './records.js';
import type { StoredTokens, TokenStore } from './types.js';

const key = { resource: 'https://mcp.example/v1/mcp', issuer: 'https://as.example' };
const binding = { issuer: key.issuer, tokenEndpoint: 'https://as.example/token' };
const tokens: StoredTokens = {
  accessToken: 'at-1',
  tokenType: 'Bearer',
  refreshToken: 'rt-1',
  expiresAt: 2_000_000_000_000,
  scope: 'read',
  obtainedAt: 1_000,
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const stores: [string, () => TokenStore][] = [
  ['memory', () => createMemoryStore()],
  ['file', () => createFileStore({ dir: join(dir, 'store') })],
];

describe.each(stores)('%s store', (_name, make) => {
  it('round-trips tokens, clients and pending authorizations by key', async () => {
    const store = make();
    expect(await store.readTokens(key)).toBeUndefined();
    await store.writeTokens(key, tokens);
    expect(await store.readTokens(key)).toEqual(tokens);
    expect(await store.readTokens({ ...key, issuer: 'https://other.example' })).toBeUndefined();
    expect(await store.readTokens({ ...key, resource: 'https://mcp.example/other' })).toBeUndefined();

    await store.writeClient(binding, {
      clientId: 'c1',
      source: 'dynamic',
      registeredAt: 1,
      redirectUris: ['http://127.0.0.1:1/cb'],
    });
    expect((await store.readClient(binding))?.clientId).toBe('c1');
    expect(await store.readClient({ ...binding, issuer: 'https://other.example' })).toBeUndefined();

    const pending = {
      state: 's',
      codeVerifier: 'v',
      redirectUri: 'r',
      issuer: key.issuer,
      resource: key.resource,
      createdAt: 1,
    };
    await store.writePending(key, pending);
    expect(await store.readPending(key)).toEqual(pending);
    await store.deletePending(key);
    expect(await store.readPending(key)).toBeUndefined();

    await store.deleteClient(binding);
    expect(await store.readClient(binding)).toBeUndefined();
  });

  it('keeps an unverified issuer and another token endpoint apart from a verified registration', async () => {
    const store = make();
    const legit = {
      clientId: 'legit',
      clientSecret: 's3cret',
      source: 'preregistered',
      registeredAt: 1,
    } as const;
    await store.writeClient(binding, legit);
    const adopted = { ...binding, unverifiedOrigin: 'https://evil.example' };
    // Same issuer string, claimed by another origin: nothing to read, and a write lands elsewhere.
    expect(await store.readClient(adopted)).toBeUndefined();
    await store.writeClient(adopted, { clientId: 'poison', source: 'dynamic', registeredAt: 2 });
    expect(await store.readClient(binding)).toEqual(legit);
    expect((await store.readClient(adopted))?.clientId).toBe('poison');
    // Same issuer, verified, but another token endpoint: the secret is not handed out.
    expect(
      await store.readClient({ ...binding, tokenEndpoint: 'https://evil.example/token' }),
    ).toBeUndefined();
    await store.deleteClient({ ...binding, tokenEndpoint: 'https://evil.example/token' });
    expect(await store.readClient(binding)).toEqual(legit);
    // Tokens of an unverified issuer live apart too.
    await store.writeTokens(key, tokens);
    expect(await store.readTokens({ ...key, unverifiedOrigin: 'https://evil.example' })).toBeUndefined();
  });

  it('deletes the tokens of a resource for every issuer, and only those', async () => {
    const store = make();
    await store.writeTokens(key, tokens);
    await store.writeTokens({ ...key, issuer: 'https://as2.example' }, tokens);
    await store.writeTokens({ ...key, resource: 'https://mcp.example/other' }, tokens);
    expect(await store.deleteTokens({ resource: key.resource })).toBe(2);
    expect(await store.readTokens(key)).toBeUndefined();
    expect(await store.readTokens({ ...key, resource: 'https://mcp.example/other' })).toEqual(tokens);
    expect(await store.deleteTokens(key)).toBe(0);
    expect(await store.deleteTokens({ ...key, resource: 'https://mcp.example/other' })).toBe(1);
  });

  it('returns copies: changing a read value does not change the store', async () => {
    const store = make();
    await store.writeTokens(key, tokens);
    const read = (await store.readTokens(key)) as { accessToken: string };
    read.accessToken = 'changed';
    expect((await store.readTokens(key))?.accessToken).toBe('at-1');
  });
});

describe('file store', () => {
  it.skipIf(process.platform === 'win32')(
    'creates the directory 0700 and files 0600, and leaves no temporary files',
    async () => {
      const storeDir = join(dir, 'nested', 'store');
      const store = createFileStore({ dir: storeDir });
      await store.writeTokens(key, tokens);
      await store.writeTokens(key, { ...tokens, accessToken: 'at-2' });
      expect((await stat(storeDir)).mode & 0o777).toBe(0o700);
      const files = await readdir(storeDir);
      expect(files).toEqual([recordName('tokens', key)]);
      expect((await stat(join(storeDir, files[0] ?? ''))).mode & 0o777).toBe(0o600);
      expect((await store.readTokens(key))?.accessToken).toBe('at-2');
    },
  );

  it.skipIf(process.platform === 'win32')('tightens an existing directory to 0700', async () => {
    const storeDir = join(dir, 'loose');
    await import('node:fs/promises').then((fs) => fs.mkdir(storeDir, { mode: 0o755 }));
    await createFileStore({ dir: storeDir }).writeClient(binding, {
      clientId: 'c',
      source: 'preregistered',
      registeredAt: 1,
    });
    expect((await stat(storeDir)).mode & 0o777).toBe(0o700);
  });

  it.each([
    ['not JSON', '{"version":1,'],
    [
      'a record of the wrong shape',
      JSON.stringify({ version: 1, kind: 'tokens', key, value: { accessToken: 42 } }),
    ],
  ])('moves a corrupt file (%s) aside, never deletes it, and names both paths', async (_what, content) => {
    const store = createFileStore({ dir });
    const file = join(dir, recordName('tokens', key));
    await writeFile(file, content);
    const error = await store.readTokens(key).catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.STORE_CORRUPT)).toBe(true);
    const files = await readdir(dir);
    const aside = files.find((name) => name.startsWith(`${recordName('tokens', key)}.corrupt-`));
    expect(aside).toBeDefined();
    expect(await readFile(join(dir, aside ?? ''), 'utf8')).toBe(content);
    expect(files).not.toContain(recordName('tokens', key));
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain(join(dir, aside ?? ''));
    // The next read finds nothing (the user logs in again), not the same error again.
    expect(await store.readTokens(key)).toBeUndefined();
  });

  it("logs out although another resource's token file is corrupt (that one is moved aside)", async () => {
    const store = createFileStore({ dir });
    const other = { ...key, resource: 'https://mcp.example/other' };
    await store.writeTokens(key, tokens);
    await writeFile(join(dir, recordName('tokens', other)), '{ broken');
    expect(await store.deleteTokens({ resource: key.resource })).toBe(1);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^${recordName('tokens', other).replace('.', '\\.')}\\.corrupt-`));
  });

  it('lists nothing in a directory that does not exist yet', async () => {
    const store = createFileStore({ dir: join(dir, 'missing') });
    expect(await store.deleteTokens({ resource: key.resource })).toBe(0);
    expect(await store.readClient(binding)).toBeUndefined();
  });
});

describe('defaultConfigDir', () => {
  const home = '/home/u';
  it.each([
    ['linux with XDG_CONFIG_HOME', 'linux', { XDG_CONFIG_HOME: '/xdg' }, '/xdg/oauth-discovery'],
    ['linux without XDG_CONFIG_HOME', 'linux', {}, '/home/u/.config/oauth-discovery'],
    [
      'linux with a relative XDG_CONFIG_HOME (invalid, ignored)',
      'linux',
      { XDG_CONFIG_HOME: 'rel' },
      '/home/u/.config/oauth-discovery',
    ],
    ['macOS', 'darwin', { XDG_CONFIG_HOME: '/xdg' }, '/home/u/Library/Application Support/oauth-discovery'],
  ] as const)('%s', (_name, platform, env, expected) => {
    expect(defaultConfigDir({ platform, env, home })).toBe(expected);
  });

  it('uses %APPDATA% on Windows', () => {
    expect(
      defaultConfigDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, home }),
    ).toContain('oauth-discovery');
    expect(
      defaultConfigDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, home }),
    ).toMatch(/^C:/);
  });
});
