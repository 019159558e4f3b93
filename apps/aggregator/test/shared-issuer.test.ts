import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCodes } from '@oauth-discovery/core';
import { createFileStore } from '@oauth-discovery/store';
import {
  type AuthorizationServerHandle,
  type McpServerHandle,
  startAuthorizationServer,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Aggregator } from '../src/index.js';
import { createUserTokenStore, type UserTokenStore } from '../src/user-store.js';
import { followLogin, startSwitchableProxy, textOf, waitForState } from './helpers.js';
import { createFixture } from './setup.js';

const HOUR = 3_600_000;

describe('two upstreams behind one authorization server, whose token endpoint goes down', () => {
  const fx = createFixture();
  let as: AuthorizationServerHandle;
  let mcp: McpServerHandle;
  let wikiMcp: McpServerHandle;
  // In front of the token endpoint only: discovery and the login page stay reachable.
  let tokenProxy: Awaited<ReturnType<typeof startSwitchableProxy>>;
  let aggregator: Aggregator;
  let store: UserTokenStore;
  let client: Client;
  let clockOffset = 0;

  beforeAll(async () => {
    const storage = await fx.storage();
    store = createUserTokenStore(createFileStore({ dir: storage.dir }), 'local');
    let asOrigin = '';
    tokenProxy = fx.add(await startSwitchableProxy(() => asOrigin, '127.0.0.57'));
    tokenProxy.up();
    as = fx.add(
      await startAuthorizationServer({
        host: '127.0.0.56',
        metadata: { token_endpoint: `${tokenProxy.origin}/token` },
      }),
    );
    asOrigin = as.origin;
    // The PRM names no scopes: the configured ones are requested.
    mcp = await fx.mcpBehind(as, { host: '127.0.0.58' });
    wikiMcp = await fx.mcpBehind(as, { host: '127.0.0.59', resourceMetadata: { scopesSupported: ['wiki'] } });
    ({ aggregator, client } = await fx.connected(
      {
        storageDir: storage.dir,
        reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
        upstreams: [
          { name: 'docs', url: mcp.url, auth: { type: 'oauth', scopes: ['mcp:tools', 'extra'] } },
          { name: 'wiki', url: wikiMcp.url, auth: { type: 'oauth', scopes: ['ignored'] } },
        ],
      },
      { store: createFileStore({ dir: storage.dir }), now: () => Date.now() + clockOffset },
    ));
  });
  afterAll(() => fx.close());

  it('requests the configured scopes when neither the challenge nor the PRM names any', async () => {
    expect(aggregator.upstreams.get('docs')?.status().state).toBe('auth_required');
    const login = await client.callTool({ name: 'auth_login', arguments: { upstream: 'docs' } });
    const { authorizationUrl } = login.structuredContent as { authorizationUrl: string };
    expect(new URL(authorizationUrl).searchParams.get('scope')).toBe('mcp:tools extra');
    expect((await followLogin(authorizationUrl)).status).toBe(200);
    await waitForState(aggregator, 'docs', 'connected');
  });

  it('a second upstream behind the same issuer reuses its registration; tokens stay per upstream', async () => {
    expect(as.count('/register')).toBe(1);
    const login = await client.callTool({ name: 'auth_login', arguments: { upstream: 'wiki' } });
    const { authorizationUrl } = login.structuredContent as { authorizationUrl: string };
    // The PRM names scopes: they win over the configured ones.
    expect(new URL(authorizationUrl).searchParams.get('scope')).toBe('wiki');
    expect((await followLogin(authorizationUrl)).status).toBe(200);
    await waitForState(aggregator, 'wiki', 'connected');
    expect(as.count('/register')).toBe(1);
    const docs = await store.readTokens({ resource: mcp.url, issuer: as.issuer });
    const wiki = await store.readTokens({ resource: wikiMcp.url, issuer: as.issuer });
    expect(wiki?.accessToken).toBeTypeOf('string');
    expect(wiki?.accessToken).not.toBe(docs?.accessToken);
    expect(textOf(await client.callTool({ name: 'wiki__echo', arguments: { text: 'w' } }))).toBe('w');
  });

  it('a refresh the server does not answer is failed and retried, not auth_required; it recovers by itself', async () => {
    tokenProxy.down();
    clockOffset = HOUR; // inside the refresh skew
    const error = await client
      .callTool({ name: 'docs__echo', arguments: { text: 'x' } })
      .catch((e: unknown) => e);
    // The call's own refresh, or the refresh timer racing it, broke the session: either way the call says so.
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).message).toMatch(/Upstream "docs" failed during echo/);
    await waitForState(aggregator, 'docs', 'failed');
    const status = aggregator.upstreams.get('docs')?.status();
    expect(status?.error?.code).toBe(ErrorCodes.NETWORK_ERROR);
    expect(status?.retryAt).toBeTypeOf('string');
    const key = { resource: mcp.url, issuer: as.issuer };
    const stored = await store.readTokens(key);
    expect(stored?.refreshFailed).toBeUndefined();
    expect(stored?.refreshToken).toBeTypeOf('string');

    const refreshes = as.count('/token');
    tokenProxy.up();
    await waitForState(aggregator, 'docs', 'connected');
    expect(as.count('/token')).toBe(refreshes + 1);
    expect((await store.readTokens(key))?.accessToken).not.toBe(stored?.accessToken);
    expect(textOf(await client.callTool({ name: 'docs__echo', arguments: { text: 'back' } }))).toBe('back');
  });
});
