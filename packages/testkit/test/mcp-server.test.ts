import { afterEach, describe, expect, it } from 'vitest';
import type { AuthorizationServerHandle, McpServerHandle } from '../src/index.js';
import { jsonRoute, startAuthorizationServer, startMcpServer } from '../src/index.js';
import { send } from './http.js';
import { connectClient } from './mcp-client.js';
import { obtainTokens } from './oauth-flow.js';

const REDIRECT = 'http://127.0.0.1:9/callback';
const CLIENT = { client_id: 'pub', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' as const };

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
const track = <T extends { close(): Promise<unknown> }>(handle: T): T => {
  closers.push(() => handle.close());
  return handle;
};

const rpc = (id: number, method: string, params: unknown = {}) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params });
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

async function protectedWorld(
  options: { toolScopes?: Record<string, string[]>; requiredScopes?: string[]; ttl?: number } = {},
) {
  const as = track(
    await startAuthorizationServer({
      host: '127.0.0.2',
      clients: [CLIENT],
      accessTokenTtlSeconds: options.ttl ?? 3600,
    }),
  );
  const mcp = track(
    await startMcpServer({
      path: '/v1/mcp',
      verifyToken: as.introspect,
      resourceMetadata: { authorizationServers: [as.issuer], scopesSupported: ['mcp', 'profile'] },
      toolScopes: options.toolScopes,
      requiredScopes: options.requiredScopes,
    }),
  );
  const token = async (scope: string) =>
    (await obtainTokens(as.origin, { clientId: 'pub', redirectUri: REDIRECT, scope, resource: mcp.url }))
      .access_token!;
  return { as, mcp, token };
}

describe('startMcpServer', () => {
  it('serves real MCP tools (stateless) to the SDK client', async () => {
    const mcp: McpServerHandle = track(await startMcpServer());
    expect(mcp.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const { client } = await connectClient(mcp.url);
    closers.push(() => client.close());
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name).sort()).toEqual(['add', 'echo', 'whoami']);
    expect(await client.callTool({ name: 'echo', arguments: { text: 'hi' } })).toMatchObject({
      content: [{ type: 'text', text: 'hi' }],
    });
    expect(await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })).toMatchObject({
      content: [{ text: '5' }],
      structuredContent: { sum: 5 },
    });
    expect((await send(mcp.url)).status).toBe(405);
  });

  it('answers 401 with resource_metadata, serves the PRM, and accepts a valid token', async () => {
    const { as, mcp, token } = await protectedWorld();
    const anonymous = await send(mcp.url, {
      method: 'POST',
      headers: MCP_HEADERS,
      body: rpc(1, 'tools/list'),
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe(
      `Bearer resource_metadata="${mcp.resourceMetadataUrl}"`,
    );
    expect(mcp.resourceMetadataUrl).toBe(`${mcp.origin}/.well-known/oauth-protected-resource/v1/mcp`);
    expect((await send(mcp.resourceMetadataUrl!)).json()).toMatchObject({
      resource: mcp.url,
      authorization_servers: [as.issuer],
      scopes_supported: ['mcp', 'profile'],
    });
    expect((await send(`${mcp.origin}/.well-known/oauth-protected-resource`)).status).toBe(404);

    const invalid = await send(mcp.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: 'Bearer nope' },
      body: rpc(1, 'tools/list'),
    });
    expect(invalid.status).toBe(401);
    expect(invalid.headers['www-authenticate']).toContain('error="invalid_token"');

    const { client } = await connectClient(mcp.url, await token('mcp'));
    closers.push(() => client.close());
    const who = await client.callTool({ name: 'whoami', arguments: {} });
    expect(who.structuredContent).toEqual({ subject: 'testkit-user', scopes: ['mcp'], clientId: 'pub' });
    expect(as.issuedTokens.at(-1)?.resource).toBe(mcp.url);
  });

  it('treats an expired token as invalid', async () => {
    const { mcp, token } = await protectedWorld({ ttl: 0 });
    const res = await send(mcp.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${await token('mcp')}` },
      body: rpc(1, 'tools/list'),
    });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('answers 403 insufficient_scope for a tool whose scope the token lacks (step-up)', async () => {
    const { mcp, token } = await protectedWorld({ toolScopes: { whoami: ['profile'] } });
    const narrow = await token('mcp');
    const call = rpc(2, 'tools/call', { name: 'whoami', arguments: {} });
    const denied = await send(mcp.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${narrow}` },
      body: call,
    });
    expect(denied.status).toBe(403);
    expect(denied.headers['www-authenticate']).toBe(
      `Bearer error="insufficient_scope", scope="mcp profile", resource_metadata="${mcp.resourceMetadataUrl}"`,
    );
    const { client } = await connectClient(mcp.url, narrow);
    closers.push(() => client.close());
    expect(await client.callTool({ name: 'echo', arguments: { text: 'ok' } })).toMatchObject({
      content: [{ text: 'ok' }],
    });
    const { client: wide } = await connectClient(mcp.url, await token('mcp profile'));
    closers.push(() => wide.close());
    expect((await wide.callTool({ name: 'whoami', arguments: {} })).structuredContent).toMatchObject({
      scopes: ['mcp', 'profile'],
    });
  });

  it('names requiredScopes in the 401 and refuses tokens without them with 403', async () => {
    const { mcp, token } = await protectedWorld({ requiredScopes: ['mcp:connect'] });
    const anonymous = await send(mcp.url, {
      method: 'POST',
      headers: MCP_HEADERS,
      body: rpc(1, 'tools/list'),
    });
    expect(anonymous.headers['www-authenticate']).toBe(
      `Bearer resource_metadata="${mcp.resourceMetadataUrl}", scope="mcp:connect"`,
    );
    const res = await send(mcp.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${await token('mcp')}` },
      body: rpc(1, 'tools/list'),
    });
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toContain('error="insufficient_scope", scope="mcp mcp:connect"');
  });

  it('Atlassian shape: no PRM, a fixed challenge, RFC 8414 metadata at its origin naming a foreign issuer', async () => {
    const as: AuthorizationServerHandle = track(
      await startAuthorizationServer({ host: '127.0.0.3', metadataPaths: [] }),
    );
    const challenge =
      'Bearer realm="OAuth", error="invalid_token", error_description="Missing or invalid access token"';
    const mcp = track(
      await startMcpServer({
        path: '/v1/mcp',
        verifyToken: as.introspect,
        wwwAuthenticate: challenge,
        routes: {
          '/.well-known/oauth-protected-resource/v1/mcp': jsonRoute({ error: 'unauthorized' }, 401),
          '/.well-known/oauth-authorization-server': jsonRoute((origin) => ({
            ...as.metadata,
            authorization_endpoint: `${origin}/v1/authorize`,
          })),
        },
      }),
    );
    const res = await send(mcp.url, { method: 'POST', headers: MCP_HEADERS, body: rpc(1, 'initialize') });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(challenge);
    expect(mcp.resourceMetadataUrl).toBeUndefined();
    expect((await send(`${mcp.origin}/.well-known/oauth-protected-resource/v1/mcp`)).status).toBe(401);
    expect((await send(`${mcp.origin}/.well-known/oauth-protected-resource`)).status).toBe(404);
    const metadata = (await send(`${mcp.origin}/.well-known/oauth-authorization-server`)).json() as Record<
      string,
      string
    >;
    expect(metadata.issuer).toBe(as.issuer);
    expect(new URL(metadata.issuer!).origin).not.toBe(mcp.origin);
    expect(metadata.authorization_endpoint).toBe(`${mcp.origin}/v1/authorize`);
    expect(mcp.count('/v1/mcp')).toBe(1);
  });

  it('sends no challenge header with wwwAuthenticate: null', async () => {
    const mcp = track(
      await startMcpServer({ verifyToken: () => Promise.resolve(null), wwwAuthenticate: null }),
    );
    const res = await send(mcp.url, { method: 'POST', headers: MCP_HEADERS, body: rpc(1, 'tools/list') });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('keeps sessions with Mcp-Session-Id when sessions: true', async () => {
    const mcp = track(
      await startMcpServer({
        sessions: true,
        resourceMetadata: { authorizationServers: (o) => [o], at: ['root'] },
      }),
    );
    const { client, sessionId } = await connectClient(mcp.url);
    closers.push(() => client.close());
    expect(sessionId()).toMatch(/^[0-9a-f-]{36}$/);
    expect(await client.callTool({ name: 'add', arguments: { a: 1, b: 1 } })).toMatchObject({
      content: [{ text: '2' }],
    });
    const unknown = await send(mcp.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, 'mcp-session-id': 'nope' },
      body: rpc(1, 'tools/list'),
    });
    expect(unknown.status).toBe(404);
    expect((await send(`${mcp.origin}/.well-known/oauth-protected-resource`)).json()).toMatchObject({
      authorization_servers: [mcp.origin],
    });
  });

  it('rejects a path without a leading slash with INVALID_CONFIG', async () => {
    await expect(startMcpServer({ path: 'mcp' })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
