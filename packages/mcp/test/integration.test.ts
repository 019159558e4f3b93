import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { type DiscoveryResult, ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import {
  type AuthorizationServerHandle,
  jsonRoute,
  type McpServerHandle,
  type McpServerOptions,
  startAuthorizationServer,
  startMcpServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { createRecommendedPipeline } from 'oauth-discovery';
import { afterEach, describe, expect, it } from 'vitest';
import { login, logout } from '../src/connect.js';
import { FlowErrorCodes } from '../src/error-codes.js';
import { storeKey } from '../src/flow.js';
import { createOAuthProvider, undiciFetchLike } from '../src/provider.js';
import { connectWithOAuth } from '../src/sdk-v1.js';
import { createFileStore } from '../src/store/file-store.js';
import { createMemoryStore } from '../src/store/memory-store.js';
import { recordName } from '../src/store/records.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
function closeLater<T extends { close(): Promise<void> }>(thing: T): T {
  closers.push(() => thing.close());
  return thing;
}

const ATLASSIAN_CHALLENGE =
  'Bearer realm="OAuth", error="invalid_token", error_description="Missing or invalid access token"';

/**
 * Atlassian v1 as reported: the MCP server publishes no PRM, its 401 has no `resource_metadata`, and
 * the RFC 8414 document at its origin names a foreign issuer (the AS on another loopback address).
 */
async function atlassianWorld(asOptions: Parameters<typeof startAuthorizationServer>[0] = {}) {
  const as = closeLater(await startAuthorizationServer({ host: '127.0.0.3', ...asOptions }));
  const mcp = closeLater(
    await startMcpServer({
      host: '127.0.0.2',
      path: '/v1/mcp',
      verifyToken: (token) => as.introspect(token),
      wwwAuthenticate: ATLASSIAN_CHALLENGE,
      routes: { '/.well-known/oauth-authorization-server': jsonRoute(as.metadata) },
    }),
  );
  return { as, mcp };
}

/** A resource with PRM pointing at the testkit AS. */
async function prmWorld(
  asOptions: Parameters<typeof startAuthorizationServer>[0] = {},
  mcpOptions: Partial<McpServerOptions> = {},
): Promise<{ as: AuthorizationServerHandle; mcp: McpServerHandle }> {
  const as = closeLater(await startAuthorizationServer({ host: '127.0.0.5', ...asOptions }));
  const mcp = closeLater(
    await startMcpServer({
      host: '127.0.0.4',
      verifyToken: (token) => as.introspect(token),
      resourceMetadata: { authorizationServers: [as.issuer], scopesSupported: ['mcp:read'] },
      ...mcpOptions,
    }),
  );
  return { as, mcp };
}

function wellKnownPaths(...servers: { requests: readonly { path: string; url: string }[] }[]): string[] {
  return servers
    .flatMap((s) => s.requests.filter((r) => r.path.includes('/.well-known/')).map((r) => r.url))
    .sort();
}

function traceUrls(result: DiscoveryResult): string[] {
  return [...result.trace.steps.flatMap((step) => step.attempts), ...result.trace.unusedSpeculation]
    .map((attempt) => attempt.url)
    .sort();
}

function traceWellKnownUrls(result: DiscoveryResult): string[] {
  const attempts = [
    ...result.trace.steps.flatMap((step) => step.attempts),
    ...result.trace.unusedSpeculation,
  ];
  return [...new Set(attempts.map((a) => a.url).filter((url) => url.includes('/.well-known/')))].sort();
}

describe('connectWithOAuth, headless', () => {
  it('connects to an Atlassian-shaped server (no PRM, foreign issuer) and lists its tools', async () => {
    const { as, mcp } = await atlassianWorld();
    const connection = closeLater(
      await connectWithOAuth({ serverUrl: mcp.url, headless: true, store: createMemoryStore() }),
    );
    const { tools } = await connection.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['add', 'echo', 'whoami']);
    const echoed = await connection.client.callTool({ name: 'echo', arguments: { text: 'hi' } });
    expect(JSON.stringify(echoed.content)).toContain('hi');
    expect(connection.result?.authorizationServer.issuer).toBe(as.issuer);
    expect(connection.result?.resourceMetadata).toBeNull();
    expect(as.resourcesSeen).toEqual([mcp.url, mcp.url]);
    // Every well-known request the servers saw was made by our pipeline: the SDK discovered nothing.
    expect(wellKnownPaths(mcp, as)).toEqual(traceWellKnownUrls(connection.result as DiscoveryResult));
  });

  it("the SDK's own auth() does no discovery when the provider gives it our state", async () => {
    const { as, mcp } = await atlassianWorld();
    const provider = closeLater(createOAuthProvider({ serverUrl: mcp.url, headless: true }));
    expect(await auth(provider, { serverUrl: mcp.url, fetchFn: undiciFetchLike })).toBe('REDIRECT');
    const code = provider.takeAuthorizationCode() ?? '';
    expect(code).not.toBe('');
    expect(
      await auth(provider, { serverUrl: mcp.url, authorizationCode: code, fetchFn: undiciFetchLike }),
    ).toBe('AUTHORIZED');
    const result = provider.result as DiscoveryResult;
    expect(wellKnownPaths(mcp, as)).toEqual(traceWellKnownUrls(result));
    // Counting every request, not only well-known ones: besides our pipeline's (in its trace), the
    // servers saw exactly one registration, one authorization and one token request.
    const seen = [...mcp.requests, ...as.requests].map((r) => r.url);
    const oauth = seen.filter((url) => /\/(register|authorize|token)$/.test(new URL(url).pathname));
    expect(oauth.map((url) => new URL(url).pathname).sort()).toEqual(['/authorize', '/register', '/token']);
    expect(seen.filter((url) => !oauth.includes(url)).sort()).toEqual(traceUrls(result));
    expect(as.resourcesSeen).toEqual([mcp.url, mcp.url]);
    expect((await provider.tokens())?.access_token).toBe(as.issuedTokens[0]?.token);
  });

  it('connects to a resource backed by oidc-provider (PRM, RFC 8707 JWT access tokens)', async () => {
    let resourceUrl = '';
    const oidc = closeLater(
      await startOidcProvider({
        host: '127.0.0.6',
        resourceServers: (resource) => (resource === resourceUrl ? { scope: 'mcp:tools' } : undefined),
      }),
    );
    const mcp = closeLater(
      await startMcpServer({
        host: '127.0.0.7',
        verifyToken: (token) => oidc.verifyAccessToken(token, resourceUrl),
        resourceMetadata: {
          authorizationServers: [oidc.issuer],
          scopesSupported: ['mcp:tools', 'offline_access'],
        },
      }),
    );
    resourceUrl = mcp.url;
    const connection = closeLater(
      await connectWithOAuth({ serverUrl: mcp.url, headless: true, store: createMemoryStore() }),
    );
    const { tools } = await connection.client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('whoami');
    expect(connection.result?.authorizationServer.issuer).toBe(oidc.issuer);
  });

  it('needs a pre-registered client in a GitHub-like world: refused without --client-id, works with it', async () => {
    const { mcp } = await prmWorld({
      registration: false,
      clients: [{ client_id: 'gh-app', redirect_uris: ['http://127.0.0.1/callback'] }],
    });
    const refused = await connectWithOAuth({
      serverUrl: mcp.url,
      headless: true,
      store: createMemoryStore(),
    }).catch((e: unknown) => e);
    expect(isDiscoveryError(refused, FlowErrorCodes.REGISTRATION_REFUSED)).toBe(true);
    expect((refused as Error).message).toContain('--client-id');

    const connection = closeLater(
      await connectWithOAuth({
        serverUrl: mcp.url,
        headless: true,
        clientId: 'gh-app',
        store: createMemoryStore(),
      }),
    );
    expect((await connection.client.listTools()).tools.length).toBe(3);
  });

  it('refuses an authorization server that does not advertise PKCE', async () => {
    const { as, mcp } = await prmWorld({ pkceAdvertised: false });
    const error = await connectWithOAuth({
      serverUrl: mcp.url,
      headless: true,
      store: createMemoryStore(),
    }).catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.PKCE_NOT_SUPPORTED)).toBe(true);
    expect(as.count('/authorize')).toBe(0);
  });

  it('steps up when a tool needs a larger scope', async () => {
    const { as, mcp } = await prmWorld({}, { toolScopes: { whoami: ['mcp:admin'] } });
    const events: string[] = [];
    const connection = closeLater(
      await connectWithOAuth({
        serverUrl: mcp.url,
        headless: true,
        store: createMemoryStore(),
        onEvent: (event) => events.push(event.type),
      }),
    );
    const who = await connection.client.callTool({ name: 'whoami', arguments: {} });
    expect(JSON.stringify(who.content)).toContain('testkit-user');
    expect(events.filter((type) => type === 'step-up')).toHaveLength(1);
    expect(as.count('/authorize')).toBe(2);
    expect(as.issuedTokens.at(-1)?.scopes).toEqual(expect.arrayContaining(['mcp:read', 'mcp:admin']));
  });
});

describe('login, stored tokens and logout with the file store', () => {
  it('logs in, reuses and refreshes stored tokens, moves a corrupt file aside, and logs out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-int-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const store = createFileStore({ dir });
    const { as, mcp } = await prmWorld({ accessTokenTtlSeconds: 2 });

    const { result, tokens } = await login({ serverUrl: mcp.url, headless: true, store });
    expect(tokens.refreshToken).toBeDefined();
    expect(as.count('/authorize')).toBe(1);

    // Past half of the 2 s lifetime: the next connection refreshes instead of authorizing.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const connection = await connectWithOAuth({
      serverUrl: mcp.url,
      headless: true,
      store,
      interactive: false,
    });
    await connection.client.listTools();
    await connection.close();
    expect(as.count('/authorize')).toBe(1);
    expect(as.count('/token')).toBeGreaterThanOrEqual(2);

    const file = join(dir, recordName('tokens', storeKey(result)));
    await writeFile(file, '{ not json');
    const corrupt = await connectWithOAuth({
      serverUrl: mcp.url,
      headless: true,
      store,
      interactive: false,
    }).catch((e: unknown) => e);
    expect(isDiscoveryError(corrupt, ErrorCodes.STORE_CORRUPT)).toBe(true);
    expect((corrupt as Error).message).toContain(file);
    expect(
      (await readdir(dir)).some((name) =>
        name.startsWith(`${recordName('tokens', storeKey(result))}.corrupt-`),
      ),
    ).toBe(true);

    await login({ serverUrl: mcp.url, headless: true, store });
    expect(await logout({ serverUrl: mcp.url, store })).toEqual({ removed: 1 });
    const loggedOut = await connectWithOAuth({
      serverUrl: mcp.url,
      headless: true,
      store,
      interactive: false,
    }).catch((e: unknown) => e);
    expect(isDiscoveryError(loggedOut, FlowErrorCodes.LOGIN_REQUIRED)).toBe(true);
  });

  it('accepts a caller-made pipeline for discovery', async () => {
    const { mcp } = await prmWorld();
    const pipeline = closeLater(createRecommendedPipeline({ presets: false }));
    const connection = closeLater(
      await connectWithOAuth({
        serverUrl: mcp.url,
        headless: true,
        store: createMemoryStore(),
        discovery: pipeline,
      }),
    );
    expect(connection.result?.resourceMetadata?.document.resource).toBe(mcp.url);
  });
});
