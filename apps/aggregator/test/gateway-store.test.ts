import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createEncryptedStore, createFileStore, parseKeyList } from '@oauth-discovery/store';
import {
  type AuthorizationServerHandle,
  type McpServerHandle,
  type OidcProviderHandle,
  startAuthorizationServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Aggregator } from '../src/index.js';
import { createUserTokenStore } from '../src/user-store.js';
import { freePort, storeKeys } from './gateway-helpers.js';
import { followLogin, textOf, waitForState } from './helpers.js';
import { createFixture } from './setup.js';

// Issue 14: revocation on logout (RFC 7009), and the single-user file store: encrypted with a key,
// logins in progress read back after a restart.

describe('single-user aggregator on the file store', () => {
  const fx = createFixture();
  let op: OidcProviderHandle;
  let opMcp: McpServerHandle;
  let as: AuthorizationServerHandle;
  let plainMcp: McpServerHandle;
  let storage: { readonly dir: string };
  let aggregator: Aggregator;
  let client: Client;
  let port: number;
  const keys = storeKeys('file-key');
  const env = { OAUTH_DISCOVERY_STORE_KEYS: keys };

  const start = () =>
    fx.connected(
      {
        listen: { host: '127.0.0.1', port },
        storageDir: storage.dir,
        reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
        upstreams: [
          { name: 'oidc', url: opMcp.url, auth: { type: 'oauth', issuer: op.issuer } },
          { name: 'plain', url: plainMcp.url, auth: { type: 'oauth' } },
        ],
      },
      { env },
    );
  const localStore = async () =>
    createUserTokenStore(
      createEncryptedStore(createFileStore({ dir: storage.dir }), parseKeyList(keys, 'test')),
      'local',
    );

  beforeAll(async () => {
    storage = await fx.storage();
    // A fixed port: the callback URL of a login started before the restart must reach the new process.
    port = await freePort();
    op = fx.add(
      await startOidcProvider({
        host: '127.0.0.91',
        resourceServers: (resource) => (resource === opMcp.url ? { scope: 'mcp:tools' } : undefined),
      }),
    );
    opMcp = await fx.mcpBehind(op, {
      host: '127.0.0.92',
      resourceMetadata: { scopesSupported: ['mcp:tools'] },
    });
    // No revocation_endpoint advertised: logout can only delete locally.
    as = fx.add(
      await startAuthorizationServer({ host: '127.0.0.93', metadata: { revocation_endpoint: undefined } }),
    );
    plainMcp = await fx.mcpBehind(as, { host: '127.0.0.94' });
    ({ aggregator, client } = await start());
  });
  afterAll(() => fx.close());

  it('a login in progress survives a restart: the callback after it finishes the login', async () => {
    const started = await client.callTool({ name: 'auth_login', arguments: { upstream: 'oidc' } });
    const { authorizationUrl } = started.structuredContent as { authorizationUrl: string };
    await client.close();
    await aggregator.close();
    ({ aggregator, client } = await start());
    const page = await followLogin(authorizationUrl);
    expect(page.body).toContain('Logged in');
    expect(page.status).toBe(200);
    await waitForState(aggregator, 'oidc', 'connected');
    expect(textOf(await client.callTool({ name: 'oidc__echo', arguments: { text: 'after restart' } }))).toBe(
      'after restart',
    );
  });

  it('a replayed callback finds no login (STATE_MISMATCH)', async () => {
    const started = await client.callTool({ name: 'auth_login', arguments: { upstream: 'plain' } });
    const { authorizationUrl } = started.structuredContent as { authorizationUrl: string };
    const first = await followLogin(authorizationUrl);
    expect(first.status).toBe(200);
    const replay = await fetch(first.url);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('Login failed: STATE_MISMATCH');
    await waitForState(aggregator, 'plain', 'connected');
  });

  it('keeps tokens, registrations and verifiers encrypted on disk', async () => {
    const dir = join(storage.dir, 'records');
    const files = await readdir(dir);
    const contents = (await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')))).join('\n');
    expect(contents).toContain('A256GCM');
    for (const issued of as.issuedTokens) expect(contents).not.toContain(issued.token);
    const stored = await (await localStore()).readTokens({ resource: opMcp.url, issuer: op.issuer });
    expect(stored?.refreshToken).toBeTypeOf('string');
    expect(contents).not.toContain(stored?.refreshToken);
  });

  it('logout revokes the tokens at an authorization server advertising revocation_endpoint (RFC 7009)', async () => {
    const key = { resource: opMcp.url, issuer: op.issuer };
    const stored = await (await localStore()).readTokens(key);
    const refreshToken = stored?.refreshToken ?? '';
    const provider = op.provider as unknown as { RefreshToken: { find(token: string): Promise<unknown> } };
    expect(await provider.RefreshToken.find(refreshToken)).toBeDefined();
    const out = await client.callTool({ name: 'auth_logout', arguments: { upstream: 'oidc' } });
    expect(out.structuredContent).toMatchObject({ upstream: 'oidc', state: 'auth_required' });
    expect(await provider.RefreshToken.find(refreshToken)).toBeUndefined();
    expect(await (await localStore()).readTokens(key)).toBeUndefined();
  });

  it('logout without a revocation_endpoint deletes the tokens locally', async () => {
    expect(as.metadata.revocation_endpoint).toBeUndefined();
    const out = await client.callTool({ name: 'auth_logout', arguments: { upstream: 'plain' } });
    expect(out.structuredContent).toMatchObject({ upstream: 'plain', state: 'auth_required' });
    expect(
      await (await localStore()).readTokens({ resource: plainMcp.url, issuer: as.issuer }),
    ).toBeUndefined();
  });
});
