import { Client, InsufficientScopeError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { DiscoveryResult } from '@oauth-discovery/core';
import {
  type AuthorizationServerHandle,
  jsonRoute,
  type McpServerHandle,
  startAuthorizationServer,
  startMcpServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { connectWithOAuth as connectV1 } from '../src/sdk-v1.js';
import { connectWithOAuth as connectV2, createAuthProvider } from '../src/sdk-v2.js';
import { createMemoryStore } from '../src/store/memory-store.js';

// End to end: an SDK v2 client and an SDK 1.x client through our provider, to the Atlassian-shaped
// world, to oidc-provider and to a server that speaks only MCP 2026-07-28 — counting every request the
// servers saw.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
function later<T extends { close(): Promise<void> }>(thing: T): T {
  closers.push(() => thing.close());
  return thing;
}

/** What a connection needs here, the same for both SDK lines. */
interface Connected {
  readonly result: DiscoveryResult | undefined;
  readonly protocol: string | undefined;
  listTools(): Promise<string[]>;
  call(name: string, args: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

const text = (content: unknown) => JSON.stringify(content);

const LINES = {
  'SDK v2': async (serverUrl: string): Promise<Connected> => {
    const c = await connectV2({ serverUrl, headless: true, store: createMemoryStore() });
    return {
      get result() {
        return c.result;
      },
      protocol: c.client.getNegotiatedProtocolVersion(),
      listTools: async () => (await c.client.listTools()).tools.map((tool) => tool.name).sort(),
      call: async (name, args) => text((await c.client.callTool({ name, arguments: args })).content),
      close: () => c.close(),
    };
  },
  'SDK 1.x': async (serverUrl: string): Promise<Connected> => {
    const c = await connectV1({ serverUrl, headless: true, store: createMemoryStore() });
    return {
      get result() {
        return c.result;
      },
      protocol: c.transport.protocolVersion,
      listTools: async () => (await c.client.listTools()).tools.map((tool) => tool.name).sort(),
      call: async (name, args) => text((await c.client.callTool({ name, arguments: args })).content),
      close: () => c.close(),
    };
  },
} as const;

/** Every URL our pipeline requested, from its trace. */
function traced(result: DiscoveryResult | undefined): string[] {
  if (result === undefined) return [];
  return [...result.trace.steps.flatMap((step) => step.attempts), ...result.trace.unusedSpeculation]
    .map((attempt) => attempt.url)
    .sort();
}

/** The MCP endpoint's requests: the first without a token, all later ones with it. */
function mcpAuthorization(mcp: McpServerHandle): string[] {
  return mcp.requests
    .filter((request) => request.url === mcp.url)
    .map((request) => (request.headers.authorization === undefined ? 'none' : 'bearer'));
}

async function atlassianWorld(): Promise<{ as: AuthorizationServerHandle; mcp: McpServerHandle }> {
  const as = later(await startAuthorizationServer({ host: '127.0.9.3' }));
  const mcp = later(
    await startMcpServer({
      host: '127.0.9.2',
      path: '/v1/mcp',
      verifyToken: (token) => as.introspect(token),
      wwwAuthenticate: 'Bearer realm="OAuth", error="invalid_token"',
      routes: { '/.well-known/oauth-authorization-server': jsonRoute(as.metadata) },
    }),
  );
  return { as, mcp };
}

describe.each(Object.entries(LINES))('%s through our provider', (_line, connect) => {
  it('Atlassian-shaped world: connects on the first 401, the SDK discovers nothing', async () => {
    const { as, mcp } = await atlassianWorld();
    const connection = later(await connect(mcp.url));
    expect(await connection.listTools()).toEqual(['add', 'echo', 'whoami']);
    expect(await connection.call('echo', { text: 'hi' })).toContain('hi');
    expect(connection.protocol).toBe('2025-11-25');
    expect(connection.result?.authorizationServer.issuer).toBe(as.issuer);
    // Every request the servers saw: the MCP endpoint's, our pipeline's (its trace), and exactly one
    // registration, authorization and token request.
    const endpoint = (url: string) => new URL(url).pathname;
    const others = [...mcp.requests, ...as.requests]
      .map((request) => request.url)
      .filter((url) => url !== mcp.url);
    const oauth = others.filter((url) => /^\/(register|authorize|token)$/.test(endpoint(url)));
    expect(oauth.map(endpoint).sort()).toEqual(['/authorize', '/register', '/token']);
    expect(others.filter((url) => !oauth.includes(url)).sort()).toEqual(traced(connection.result));
    const first = mcpAuthorization(mcp);
    expect(first[0]).toBe('none');
    expect(first.slice(1).every((auth) => auth === 'bearer')).toBe(true);
    expect(as.resourcesSeen).toEqual([mcp.url, mcp.url]);
  });

  it('oidc-provider behind PRM: RFC 8707 JWT access tokens, one registration, authorization and token request', async () => {
    let resourceUrl = '';
    const oidc = later(
      await startOidcProvider({
        host: '127.0.9.6',
        resourceServers: (resource) => (resource === resourceUrl ? { scope: 'mcp:tools' } : undefined),
      }),
    );
    // oidc-provider's own events: one per successful registration, authorization and token request.
    const seen: string[] = [];
    for (const event of ['registration_create.success', 'authorization.success', 'grant.success']) {
      oidc.provider.on(event, () => seen.push(event));
    }
    const mcp = later(
      await startMcpServer({
        host: '127.0.9.7',
        verifyToken: (token) => oidc.verifyAccessToken(token, resourceUrl),
        resourceMetadata: { authorizationServers: [oidc.issuer], scopesSupported: ['mcp:tools'] },
      }),
    );
    resourceUrl = mcp.url;
    const connection = later(await connect(mcp.url));
    expect(await connection.call('whoami', {})).toContain('mcp:tools');
    expect(connection.result?.authorizationServer.issuer).toBe(oidc.issuer);
    expect(seen.sort()).toEqual(['authorization.success', 'grant.success', 'registration_create.success']);
    // The MCP endpoint: the first request without a token, then with it; its other requests are our
    // pipeline's (the PRM), none the SDK's.
    expect(
      mcp.requests
        .map((request) => request.url)
        .filter((url) => url !== mcp.url)
        .sort(),
    ).toEqual(traced(connection.result).filter((url) => url.startsWith(mcp.origin)));
    expect(mcpAuthorization(mcp)[0]).toBe('none');
  });
});

describe('a server that speaks only MCP 2026-07-28', () => {
  async function world() {
    const as = later(await startAuthorizationServer({ host: '127.0.9.9' }));
    const mcp = later(
      await startMcpServer({
        host: '127.0.9.8',
        wire: '2026-07-28',
        verifyToken: (token) => as.introspect(token),
        resourceMetadata: { authorizationServers: [as.issuer], scopesSupported: ['mcp:read'] },
      }),
    );
    return { as, mcp };
  }

  it('SDK v2 negotiates 2026-07-28 after the first 401 and calls tools; every request counted', async () => {
    const { as, mcp } = await world();
    const connection = later(await LINES['SDK v2'](mcp.url));
    expect(connection.protocol).toBe('2026-07-28');
    expect(await connection.call('add', { a: 2, b: 3 })).toContain('5');
    const others = [...mcp.requests, ...as.requests]
      .map((request) => request.url)
      .filter((url) => url !== mcp.url);
    const oauth = others.filter((url) => /^\/(register|authorize|token)$/.test(new URL(url).pathname));
    expect(oauth.map((url) => new URL(url).pathname).sort()).toEqual(['/authorize', '/register', '/token']);
    expect(others.filter((url) => !oauth.includes(url)).sort()).toEqual(traced(connection.result));
    // server/discover without a token (401), again with it, then tools/call: no initialize.
    expect(mcpAuthorization(mcp)).toEqual(['none', 'bearer', 'bearer']);
    expect(as.resourcesSeen).toEqual([mcp.url, mcp.url]);
  });

  it('SDK 1.x authorizes the same way, then fails: it speaks only 2025-11-25', async () => {
    const { as, mcp } = await world();
    await expect(LINES['SDK 1.x'](mcp.url)).rejects.toThrow();
    expect(as.count('/authorize')).toBe(1);
    expect(mcpAuthorization(mcp).slice(0, 2)).toEqual(['none', 'bearer']);
  });
});

describe('authorization starts from the challenge', () => {
  it.each(Object.entries(LINES))(
    '%s: a server that asks for none gets no discovery at all',
    async (_line, connect) => {
      const mcp = later(await startMcpServer({ host: '127.0.9.10' }));
      const connection = later(await connect(mcp.url));
      expect(await connection.call('add', { a: 1, b: 2 })).toContain('3');
      expect(connection.result).toBeUndefined();
      expect(mcp.requests.every((request) => request.url === mcp.url)).toBe(true);
      expect(mcpAuthorization(mcp).every((auth) => auth === 'none')).toBe(true);
    },
  );

  it("SDK v2 without wrapFetch: a 401 goes through the provider's onUnauthorized, a 403 step-up is the SDK's InsufficientScopeError", async () => {
    const as = later(await startAuthorizationServer({ host: '127.0.9.12' }));
    const mcp = later(
      await startMcpServer({
        host: '127.0.9.11',
        verifyToken: (token) => as.introspect(token),
        resourceMetadata: { authorizationServers: [as.issuer], scopesSupported: ['mcp:read'] },
        toolScopes: { whoami: ['mcp:admin'] },
      }),
    );
    const provider = later(createAuthProvider({ serverUrl: mcp.url, headless: true }));
    const client = new Client({ name: 'test', version: '0.0.0' });
    closers.push(() => client.close());
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider }));
    expect(text((await client.callTool({ name: 'add', arguments: { a: 1, b: 1 } })).content)).toContain('2');
    expect(as.count('/authorize')).toBe(1);
    const error = await client.callTool({ name: 'whoami', arguments: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientScopeError);
    expect(as.count('/authorize')).toBe(1);
  });
});
