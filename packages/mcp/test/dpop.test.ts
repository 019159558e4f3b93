import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type McpServerHandle,
  type OidcProviderHandle,
  startMcpServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthSession } from '../src/auth-session.js';
import type { DPoPSetting } from '../src/dpop/options.js';
import { FlowErrorCodes } from '../src/error-codes.js';
import type { ClientCredentialsGrantOptions } from '../src/grants/options.js';
import { connectWithOAuth as connectV1 } from '../src/sdk-v1.js';
import { connectWithOAuth as connectV2 } from '../src/sdk-v2.js';
import { storeKey } from '../src/store/binding.js';
import { createFileStore } from '../src/store/file-store.js';
import { createMemoryStore } from '../src/store/memory-store.js';
import type { TokenStore } from '../src/store/types.js';

// DPoP (RFC 9449) against oidc-provider and a testkit MCP server that checks every proof (htm, htu,
// iat, jti, ath, the token's cnf.jkt, and its nonce where required), with and without server nonces.

interface World {
  readonly oidc: OidcProviderHandle;
  readonly mcp: McpServerHandle;
  /** OAuth errors the authorization server answered token requests with. */
  readonly refused: string[];
  /** Token requests it granted. */
  readonly granted: { count: number };
}

const worlds: World[] = [];

async function startWorld(hosts: readonly [string, string], requireNonce: boolean): Promise<World> {
  let resourceUrl = '';
  const refused: string[] = [];
  const granted = { count: 0 };
  const oidc = await startOidcProvider({
    host: hosts[0],
    clientCredentials: true,
    dpop: { requireNonce },
    resourceServers: (resource) => (resource === resourceUrl ? { scope: 'mcp:tools' } : undefined),
    clients: [
      {
        client_id: 'dpop-bot',
        client_secret: 'dpop-secret',
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
      },
    ],
  });
  oidc.provider.on('grant.error', (_ctx: unknown, error: unknown) => {
    refused.push(String((error as { error?: string }).error));
  });
  oidc.provider.on('grant.success', () => {
    granted.count += 1;
  });
  const mcp = await startMcpServer({
    host: hosts[1],
    dpop: { requireNonce },
    verifyToken: (token) => oidc.verifyAccessToken(token, resourceUrl),
    resourceMetadata: { authorizationServers: [oidc.issuer], scopesSupported: ['mcp:tools'] },
  });
  resourceUrl = mcp.url;
  const world = { oidc, mcp, refused, granted };
  worlds.push(world);
  return world;
}

let plain: World;
let nonces: World;

beforeAll(async () => {
  [plain, nonces] = await Promise.all([
    startWorld(['127.0.11.2', '127.0.11.3'], false),
    startWorld(['127.0.11.4', '127.0.11.5'], true),
  ]);
});

afterAll(async () => {
  await Promise.all(worlds.flatMap((world) => [world.mcp.close(), world.oidc.close()]));
});

const grant: ClientCredentialsGrantOptions = {
  type: 'client_credentials',
  clientId: 'dpop-bot',
  clientSecret: 'dpop-secret',
};

const LINES = {
  'SDK v2': async (world: World, store: TokenStore, dpop: DPoPSetting) => {
    const c = await connectV2({ serverUrl: world.mcp.url, grant, store, dpop, interactive: false });
    const { content } = await c.client.callTool({ name: 'echo', arguments: { text: 'bound' } });
    await c.close();
    return JSON.stringify(content);
  },
  'SDK 1.x': async (world: World, store: TokenStore, dpop: DPoPSetting) => {
    const c = await connectV1({ serverUrl: world.mcp.url, grant, store, dpop, interactive: false });
    const { content } = await c.client.callTool({ name: 'echo', arguments: { text: 'bound' } });
    await c.close();
    return JSON.stringify(content);
  },
} as const;

describe.each(Object.entries(LINES))('client credentials with DPoP through %s', (_line, connect) => {
  it('a DPoP-bound token, presented with a new proof of the stored key on every request', async () => {
    const store = createMemoryStore();
    const before = plain.mcp.dpop?.accepted.length ?? 0;
    expect(await connect(plain, store, true)).toContain('bound');
    const result = storeKey({
      resource: plain.mcp.url,
      authorizationServer: { issuer: plain.oidc.issuer, issuerCheck: 'exact', metadata: {} },
    } as never);
    const tokens = await store.readTokens(result);
    const key = await store.readDPoPKey?.({ issuer: plain.oidc.issuer });
    expect(tokens?.tokenType).toBe('DPoP');
    expect(key?.keyPair.privateKey.extractable).toBe(false);
    expect(tokens?.dpopJkt).toBe(key?.jkt);
    expect((await plain.oidc.verifyAccessToken(tokens?.accessToken ?? ''))?.jkt).toBe(key?.jkt);
    const proofs = plain.mcp.dpop?.accepted.slice(before) ?? [];
    // initialize, its notification, tools/call at least; each proof new (the server refuses a jti twice).
    expect(proofs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(proofs.map((proof) => proof.jkt))).toEqual(new Set([key?.jkt]));
    expect(plain.refused).toEqual([]);
  });

  it('server nonces: the token request and the MCP request are each sent again once with the nonce', async () => {
    const store = createMemoryStore();
    const refusedBefore = nonces.refused.length;
    const challengesBefore = nonces.mcp.dpop?.nonceChallenges ?? 0;
    const acceptedBefore = nonces.mcp.dpop?.accepted.length ?? 0;
    const grantedBefore = nonces.granted.count;
    expect(await connect(nonces, store, true)).toContain('bound');
    // One token: the resource's nonce challenge is answered by a new proof, not by a new grant.
    expect(nonces.granted.count - grantedBefore).toBe(1);
    expect(nonces.refused.slice(refusedBefore)).toEqual(['use_dpop_nonce']);
    expect((nonces.mcp.dpop?.nonceChallenges ?? 0) - challengesBefore).toBe(1);
    const proofs = nonces.mcp.dpop?.accepted.slice(acceptedBefore) ?? [];
    expect(proofs.every((proof) => proof.nonce === nonces.mcp.dpop?.nonce)).toBe(true);
  });
});

describe.each([
  ['no nonces', () => plain],
  ['nonces required', () => nonces],
] as const)('authorization code with DPoP (%s)', (_name, world) => {
  it('the code exchange and the refresh are proven with one stored key; every MCP request too', async () => {
    const { oidc, mcp, refused } = world();
    const store = createMemoryStore();
    const refusedBefore = refused.length;
    const c = await connectV2({ serverUrl: mcp.url, headless: true, store, dpop: true });
    const { content } = await c.client.callTool({ name: 'echo', arguments: { text: 'code' } });
    await c.close();
    expect(JSON.stringify(content)).toContain('code');
    const key = await store.readDPoPKey?.({ issuer: oidc.issuer });
    const stored = storeKey({
      resource: mcp.url,
      authorizationServer: { issuer: oidc.issuer, issuerCheck: 'exact', metadata: {} },
    } as never);
    const tokens = await store.readTokens(stored);
    expect(tokens).toMatchObject({ tokenType: 'DPoP', dpopJkt: key?.jkt });
    expect((await oidc.verifyAccessToken(tokens?.accessToken ?? ''))?.jkt).toBe(key?.jkt);
    // A token due for refresh: the refresh carries a proof of the same key (the refresh token of a
    // public client is bound to it), and the new token is bound to it too.
    expect(tokens?.refreshToken).toBeDefined();
    const hourAgo = Date.now() - 3_600_000;
    await store.writeTokens(stored, {
      ...(tokens as NonNullable<typeof tokens>),
      obtainedAt: hourAgo,
      expiresAt: Date.now(),
    });
    const session = createAuthSession({ serverUrl: mcp.url, store, interactive: false });
    await session.discover();
    const fresh = await session.ensureTokens();
    await session.close();
    expect(fresh.accessToken).not.toBe(tokens?.accessToken);
    expect(fresh).toMatchObject({ tokenType: 'DPoP', dpopJkt: key?.jkt });
    expect((await oidc.verifyAccessToken(fresh.accessToken))?.jkt).toBe(key?.jkt);
    // With nonces: the code exchange and the refresh each answered use_dpop_nonce once, then passed.
    const expected = world() === nonces ? ['use_dpop_nonce', 'use_dpop_nonce'] : [];
    expect(refused.slice(refusedBefore)).toEqual(expected);
  });
});

describe('DPoP keys in the token store', () => {
  it('one key per issuer, reused by the next session; the file store keeps it 0600 in its own record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dpop-store-'));
    try {
      const store = createFileStore({ dir });
      await LINES['SDK v2'](plain, store, true);
      const first = await store.readDPoPKey?.({ issuer: plain.oidc.issuer });
      // A new session (the store's token is still good, so drop it: the grant runs again).
      await store.deleteTokens({ resource: plain.mcp.url });
      await LINES['SDK v2'](plain, createFileStore({ dir }), true);
      const second = await store.readDPoPKey?.({ issuer: plain.oidc.issuer });
      expect(second?.jkt).toBe(first?.jkt);
      const names = (await readdir(dir)).filter((name) => name.startsWith('dpop-key-'));
      expect(names).toHaveLength(1);
      const path = join(dir, names[0] as string);
      if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
      const record = JSON.parse(await readFile(path, 'utf8')) as { key: unknown; value: { alg: string } };
      expect(record.key).toEqual({ issuer: plain.oidc.issuer });
      expect(record.value.alg).toBe('ES256');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('no algorithm in common with dpop_signing_alg_values_supported: AUTHORIZATION_FAILED before any token request', async () => {
    const refusedBefore = plain.refused.length;
    const store = createMemoryStore();
    await expect(LINES['SDK v2'](plain, store, { algorithms: ['RS256'] })).rejects.toMatchObject({
      code: FlowErrorCodes.AUTHORIZATION_FAILED,
      message: expect.stringContaining('no algorithm in common'),
    });
    expect(plain.refused.slice(refusedBefore)).toEqual([]);
    expect(await store.readDPoPKey?.({ issuer: plain.oidc.issuer })).toBeUndefined();
  });
});
