import type { McpError } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCodes } from '@oauth-discovery/core';
import { createFileStore } from '@oauth-discovery/store';
import {
  type AuthorizationServerHandle,
  type McpServerHandle,
  startAuthorizationServer,
  startMcpServer,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Aggregator,
  type AggregatorConfigInput,
  type LogEvent,
  startAggregator,
  validateConfig,
} from '../src/index.js';
import { createUserTokenStore } from '../src/user-store.js';
import {
  connectTestClient,
  followLogin,
  startSwitchableProxy,
  tempDir,
  textOf,
  waitForState,
} from './helpers.js';

/** An OAuth MCP server behind a switchable proxy; its PRM names the proxy's URL as the resource. */
async function startProxiedUpstream(as: AuthorizationServerHandle, proxyHost: string, serverHost: string) {
  let target = '';
  const proxy = await startSwitchableProxy(() => target, proxyHost);
  const server = await startMcpServer({
    host: serverHost,
    verifyToken: (token) => as.introspect(token),
    resourceMetadata: { authorizationServers: [as.issuer], resource: `${proxy.origin}/mcp` },
  });
  target = server.origin;
  return { proxy, server, url: `${proxy.origin}/mcp` };
}

describe('an upstream unreachable at start (issue 9, aggregator part)', () => {
  let as: AuthorizationServerHandle;
  let late: Awaited<ReturnType<typeof startProxiedUpstream>>;
  let manual: Awaited<ReturnType<typeof startProxiedUpstream>>;
  let legacy: McpServerHandle;
  let legacyLoggedIn: McpServerHandle;
  let storage: Awaited<ReturnType<typeof tempDir>>;
  const running: Aggregator[] = [];
  const events: LogEvent[] = [];

  const start = async (input: AggregatorConfigInput): Promise<Aggregator> => {
    const aggregator = await startAggregator(validateConfig({ ...input, storageDir: storage.dir }), {
      log: (event) => events.push(event),
    });
    running.push(aggregator);
    await aggregator.ready;
    return aggregator;
  };
  const lateConfig = (): AggregatorConfigInput => ({
    listen: { host: '127.0.0.1', port: 0 },
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    upstreams: [{ name: 'late', url: late.url, auth: { type: 'oauth' } }],
  });

  beforeAll(async () => {
    storage = await tempDir();
    as = await startAuthorizationServer({ host: '127.0.0.71' });
    late = await startProxiedUpstream(as, '127.0.0.72', '127.0.0.73');
    manual = await startProxiedUpstream(as, '127.0.0.74', '127.0.0.75');
    // A server of the MCP 2025-03-26 kind: a 401 without metadata, no metadata anywhere.
    legacy = await startMcpServer({ host: '127.0.0.76', verifyToken: async () => null });
    // The same kind, where an earlier login with the guessed endpoints left a token.
    legacyLoggedIn = await startMcpServer({
      host: '127.0.0.77',
      verifyToken: async (token) =>
        token === 'from-a-guessed-login'
          ? { subject: 'legacy-user', scopes: [], expiresAt: Math.floor(Date.now() / 1000) + 3600 }
          : null,
    });
  });
  afterAll(async () => {
    await Promise.all(running.map((aggregator) => aggregator.close()));
    await Promise.all([late?.proxy.close(), manual?.proxy.close()]);
    await Promise.all([
      late?.server.close(),
      manual?.server.close(),
      legacy?.close(),
      legacyLoggedIn?.close(),
      as?.close(),
    ]);
    await storage?.remove();
  });

  it('down at start: failed with the code, the trace and retryAt; up later: the real issuer, no restart', async () => {
    const aggregator = await start(lateConfig());
    const failed = aggregator.upstreams.get('late')?.status();
    expect(failed?.state).toBe('failed');
    expect(failed?.error?.code).toBe(ErrorCodes.NETWORK_ERROR);
    expect(failed?.trace?.steps.length).toBeGreaterThan(0);
    expect(failed?.retryAt).toBeTypeOf('string');
    // Never the server's own origin as a guessed issuer.
    expect(failed?.issuer).toBeUndefined();

    late.proxy.up();
    await waitForState(aggregator, 'late', 'auth_required');
    expect(aggregator.upstreams.get('late')?.status()).toMatchObject({ issuer: as.issuer });
    expect(aggregator.upstreams.get('late')?.status().guessed).toBeUndefined();

    // The login goes to the real authorization server (not <upstream>/register), and connects.
    const { client } = await connectTestClient(aggregator.mcpUrl);
    const login = await client.callTool({ name: 'auth_login', arguments: { upstream: 'late' } });
    const { authorizationUrl } = login.structuredContent as { authorizationUrl: string };
    expect(new URL(authorizationUrl).origin).toBe(as.origin);
    expect((await followLogin(authorizationUrl)).status).toBe(200);
    await waitForState(aggregator, 'late', 'connected');
    expect(textOf(await client.callTool({ name: 'late__echo', arguments: { text: 'up' } }))).toBe('up');
    await client.close();
  });

  it('logged in, then down during a restart: it comes back with its stored tokens, without a login', async () => {
    const first = running.pop();
    await first?.close();
    late.proxy.down();
    const authorizations = as.count('/authorize');
    const aggregator = await start(lateConfig());
    const failed = aggregator.upstreams.get('late')?.status();
    expect(failed?.state).toBe('failed');
    expect(failed?.error?.code).toBe(ErrorCodes.NETWORK_ERROR);
    expect(failed?.retryAt).toBeTypeOf('string');

    late.proxy.up();
    await waitForState(aggregator, 'late', 'connected');
    expect(aggregator.upstreams.get('late')?.status().issuer).toBe(as.issuer);
    expect(as.count('/authorize')).toBe(authorizations);
    const { client } = await connectTestClient(aggregator.mcpUrl);
    expect(textOf(await client.callTool({ name: 'late__echo', arguments: { text: 'back' } }))).toBe('back');
    await client.close();
  });

  it('auth_login discovers again at once instead of waiting for the next retry', async () => {
    const aggregator = await start({
      listen: { host: '127.0.0.1', port: 0 },
      // The automatic retry would come long after this test.
      reconnect: { initialDelayMs: 600_000, maxDelayMs: 600_000 },
      upstreams: [{ name: 'manual', url: manual.url, auth: { type: 'oauth' } }],
    });
    expect(aggregator.upstreams.get('manual')?.status().state).toBe('failed');
    const { client } = await connectTestClient(aggregator.mcpUrl);
    // Still down: auth_login says why, with the code.
    const refused = await client
      .callTool({ name: 'auth_login', arguments: { upstream: 'manual' } })
      .catch((error: unknown) => error as McpError);
    expect((refused as McpError).message).toMatch(/Upstream "manual" is failed \(NETWORK_ERROR:/);

    manual.proxy.up();
    const login = await client.callTool({ name: 'auth_login', arguments: { upstream: 'manual' } });
    const { authorizationUrl } = login.structuredContent as { authorizationUrl: string };
    expect(new URL(authorizationUrl).origin).toBe(as.origin);
    expect(aggregator.upstreams.get('manual')?.status()).toMatchObject({
      state: 'auth_required',
      issuer: as.issuer,
    });
    await client.close();
  });

  it('no metadata anywhere: not discovered (retried), and auth_login logs in with the guessed endpoints, saying so', async () => {
    const aggregator = await start({
      listen: { host: '127.0.0.1', port: 0 },
      reconnect: { initialDelayMs: 600_000, maxDelayMs: 600_000 },
      upstreams: [{ name: 'legacy', url: legacy.url, auth: { type: 'oauth' } }],
    });
    const status = aggregator.upstreams.get('legacy')?.status();
    expect(status).toMatchObject({
      state: 'failed',
      error: { code: ErrorCodes.AUTHORIZATION_SERVER_METADATA_NOT_FOUND },
    });
    expect(status?.trace?.steps.length).toBeGreaterThan(0);
    expect(status?.retryAt).toBeTypeOf('string');
    const { client } = await connectTestClient(aggregator.mcpUrl);
    const login = await client
      .callTool({ name: 'auth_login', arguments: { upstream: 'legacy' } })
      .catch((error: unknown) => error as McpError);
    // The guessed endpoints are used because a person asked, and the status says "guessed". The legacy
    // server has no registration endpoint, so the login itself stops there, with its own refusal.
    expect(aggregator.upstreams.get('legacy')?.status()).toMatchObject({
      state: 'auth_required',
      issuer: legacy.origin,
      guessed: true,
    });
    const refusal = (login as McpError).message;
    expect(refusal).toContain(
      `Dynamic client registration at ${legacy.origin}/register was refused (HTTP 404`,
    );
    // The advice names the configuration keys, not the command line's flags (issue 14).
    expect(refusal).toContain(
      `Register an OAuth client with ${legacy.origin} yourself (redirect URI ${aggregator.redirectUri}), then set upstreams[0].auth.clientId to its id (and upstreams[0].auth.clientSecretEnv to the environment variable holding its secret, if it has one) and restart the aggregator.`,
    );
    expect(refusal).not.toContain('--client-id');
    await client.close();
  });

  it('tokens from an earlier login with the guessed endpoints are used again after a restart', async () => {
    // A guessed issuer verified nothing, so its tokens are stored apart, under the origin that
    // claimed it (issuerBinding), exactly as a login with the guessed endpoints writes them.
    await createUserTokenStore(createFileStore({ dir: storage.dir }), 'local').writeTokens(
      {
        resource: legacyLoggedIn.url,
        issuer: legacyLoggedIn.origin,
        unverifiedOrigin: legacyLoggedIn.origin,
      },
      { accessToken: 'from-a-guessed-login', tokenType: 'bearer', obtainedAt: Date.now() },
    );
    const aggregator = await start({
      listen: { host: '127.0.0.1', port: 0 },
      reconnect: { initialDelayMs: 600_000, maxDelayMs: 600_000 },
      upstreams: [{ name: 'legacy', url: legacyLoggedIn.url, auth: { type: 'oauth' } }],
    });
    expect(aggregator.upstreams.get('legacy')?.status()).toMatchObject({
      state: 'connected',
      issuer: legacyLoggedIn.origin,
      guessed: true,
    });
  });

  it('made no state transition outside the table (TRANSITIONS)', () => {
    expect(events.filter((event) => event.event === 'invalid-transition')).toEqual([]);
    expect(events.filter((event) => event.event === 'upstream-state').length).toBeGreaterThan(10);
  });
});
