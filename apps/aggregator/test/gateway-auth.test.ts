import { createHttpClient } from '@oauth-discovery/core/http';
import {
  type McpServerHandle,
  type OidcProviderHandle,
  startMcpServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { discover } from 'oauth-discovery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Aggregator, startAggregator, validateConfig } from '../src/index.js';
import {
  connectAs,
  freePort,
  GATEWAY_CLIENT,
  gatewayClientMetadata,
  mintAccessToken,
  storeKeys,
} from './gateway-helpers.js';
import { tempDir } from './helpers.js';

// Issue 14, "its own OAuth": the MCP endpoint is a protected resource of the team's identity provider.

const HOUR = 3_600_000;

describe('the aggregator as an OAuth-protected resource (auth.type oauth)', () => {
  let idp: OidcProviderHandle;
  let otherIdp: OidcProviderHandle;
  let upstream: McpServerHandle;
  let aggregator: Aggregator;
  let introspecting: Aggregator;
  let storage: Awaited<ReturnType<typeof tempDir>>;
  let port: number;
  let clockOffset = 0;
  const env = {
    OAUTH_DISCOVERY_STORE_KEYS: storeKeys(),
    GATEWAY_INTROSPECTION_SECRET: GATEWAY_CLIENT.secret,
  };
  const resource = () => `http://127.0.0.1:${port}/mcp`;

  beforeAll(async () => {
    storage = await tempDir();
    const anyResource = () => ({ scope: 'mcp' });
    idp = await startOidcProvider({ clients: [gatewayClientMetadata], resourceServers: anyResource });
    otherIdp = await startOidcProvider({
      host: '127.0.0.2',
      clients: [gatewayClientMetadata],
      resourceServers: anyResource,
    });
    upstream = await startMcpServer({ host: '127.0.0.3' });
    port = await freePort();
    const upstreams = [{ name: 'open', url: upstream.url, auth: { type: 'none' as const } }];
    aggregator = await startAggregator(
      validateConfig({
        listen: { host: '127.0.0.1', port },
        publicUrl: `http://127.0.0.1:${port}`,
        auth: { type: 'oauth', issuer: idp.issuer, adminGroup: { claim: 'scope', value: 'mcp-admins' } },
        sessions: { maxPerUser: 3 },
        storageDir: storage.dir,
        upstreams,
      }),
      { env, now: () => Date.now() + clockOffset },
    );
    introspecting = await startAggregator(
      validateConfig({
        listen: { host: '127.0.0.1', port: 0 },
        auth: {
          type: 'oauth',
          issuer: idp.issuer,
          audience: 'https://gateway.example/mcp',
          introspection: { clientId: GATEWAY_CLIENT.id, clientSecretEnv: 'GATEWAY_INTROSPECTION_SECRET' },
        },
        storageDir: storage.dir,
        upstreams,
      }),
      { env },
    );
  });
  afterAll(async () => {
    await aggregator?.close();
    await introspecting?.close();
    await Promise.all([idp?.close(), otherIdp?.close(), upstream?.close()]);
    await storage?.remove();
  });

  async function post(url: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } },
      }),
    });
  }

  it('answers an unauthenticated initialize with 401 naming its own resource metadata', async () => {
    const response = await post(aggregator.mcpUrl);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp"`,
    );
  });

  it('takes the metadata URL from publicUrl, never from the Host header', async () => {
    const response = await post(aggregator.mcpUrl.replace('127.0.0.1', 'localhost'));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain(
      `resource_metadata="http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp"`,
    );
  });

  it('serves RFC 9728 metadata whose authorization server is the team issuer', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      resource: resource(),
      authorization_servers: [idp.issuer],
      bearer_methods_supported: ['header'],
    });
  });

  it("the project's own discovery finds the team IdP from the 401", async () => {
    const challenge = (await post(aggregator.mcpUrl)).headers.get('www-authenticate') ?? '';
    const result = await discover(aggregator.mcpUrl, {
      challenge,
      challengeStatus: 401,
      http: createHttpClient({ allowPrivateNetwork: true }),
    });
    expect(result.resource).toBe(resource());
    expect(result.authorizationServer.issuer).toBe(idp.issuer);
  });

  it('lets a valid token through: the MCP session works and lists the upstream tools', async () => {
    const token = await mintAccessToken(idp, 'alice', resource());
    const { client } = await connectAs(aggregator.mcpUrl, token);
    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name)).toContain('open__echo');
    await client.close();
  });

  it.each([
    [
      'another audience (RFC 8707)',
      async () => mintAccessToken(idp, 'alice', 'http://127.0.0.1:1/other'),
      'aud',
    ],
    ['another issuer', async () => mintAccessToken(otherIdp, 'alice', resource()), 'iss'],
  ])('refuses a token for %s with invalid_token', async (_what, mint, claim) => {
    const response = await post(aggregator.mcpUrl, { authorization: `Bearer ${await mint()}` });
    expect(response.status).toBe(401);
    const header = response.headers.get('www-authenticate') ?? '';
    expect(header).toContain('error="invalid_token"');
    expect(header).toContain(`error_description="the token's ${claim} claim is not accepted"`);
    expect(header).toContain('resource_metadata=');
  });

  it('refuses a token whose signature does not verify', async () => {
    const token = await mintAccessToken(idp, 'alice', resource());
    const [head, body, signature = ''] = token.split('.');
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const response = await post(aggregator.mcpUrl, { authorization: `Bearer ${head}.${body}.${flipped}` });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('refuses an expired token', async () => {
    const token = await mintAccessToken(idp, 'alice', resource());
    clockOffset = 2 * HOUR;
    try {
      const response = await post(aggregator.mcpUrl, { authorization: `Bearer ${token}` });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error_description="the token expired"');
    } finally {
      clockOffset = 0;
    }
  });

  it('refuses a malformed Authorization header with 400 invalid_request', async () => {
    const response = await post(aggregator.mcpUrl, { authorization: 'Basic YTpi' });
    expect(response.status).toBe(400);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_request"');
  });

  it('keeps /status behind the token too, and shows a user only their own upstreams', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/status`)).status).toBe(401);
    const token = await mintAccessToken(idp, 'bob', resource());
    const status = await fetch(`http://127.0.0.1:${port}/status`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.status).toBe(200);
    expect(((await status.json()) as { upstreams: { name: string }[] }).upstreams.map((u) => u.name)).toEqual(
      ['open'],
    );
  });

  it("one user cannot use another user's MCP session id", async () => {
    const alice = await connectAs(aggregator.mcpUrl, await mintAccessToken(idp, 'alice', resource()));
    const sessionId = alice.transport.sessionId ?? '';
    expect(sessionId).not.toBe('');
    const bobToken = await mintAccessToken(idp, 'bob', resource());
    const response = await fetch(aggregator.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bobToken}`,
        'mcp-session-id': sessionId,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(response.status).toBe(404);
    await alice.client.close();
  });

  it("one user's flood of sessions evicts only their own (sessions.maxPerUser)", async () => {
    const bob = await connectAs(aggregator.mcpUrl, await mintAccessToken(idp, 'bob', resource()));
    const daveToken = await mintAccessToken(idp, 'dave', resource());
    const first = await connectAs(aggregator.mcpUrl, daveToken);
    const more = [];
    for (let i = 0; i < 3; i += 1) more.push(await connectAs(aggregator.mcpUrl, daveToken));
    // maxPerUser is 3: dave's first session was the oldest of his and went; bob's stays.
    const gone = await first.client.listTools().catch((error: unknown) => error);
    expect(String(gone)).toMatch(/Session .* not found|404/);
    expect((await more[2]?.client.listTools())?.tools.length).toBeGreaterThan(0);
    expect((await bob.client.listTools()).tools.length).toBeGreaterThan(0);
    await Promise.all([bob, ...more].map(({ client }) => client.close()));
  });

  it('shows every user to the admin group only, without secrets (/status/users)', async () => {
    const url = `http://127.0.0.1:${port}/status/users`;
    const alice = await mintAccessToken(idp, 'alice', resource());
    const refused = await fetch(url, { headers: { authorization: `Bearer ${alice}` } });
    expect(refused.status).toBe(403);
    // Operators: tokens whose scope claim holds mcp-admins (a list claim such as groups works too).
    const root = await mintAccessToken(idp, 'root', resource(), 'jwt', 'mcp mcp-admins');
    const answer = await fetch(url, { headers: { authorization: `Bearer ${root}` } });
    expect(answer.status).toBe(200);
    const { users } = (await answer.json()) as {
      users: { subject: string; upstreams?: { name: string }[] }[];
    };
    expect(users.map((user) => user.subject)).toEqual(expect.arrayContaining(['alice', 'bob']));
    expect(users.find((user) => user.subject === 'alice')?.upstreams?.map((u) => u.name)).toEqual(['open']);
    const text = JSON.stringify(users);
    expect(text).not.toContain(alice);
    expect(text).not.toMatch(/accessToken|refreshToken|codeVerifier/);
  });

  it('checks opaque tokens by RFC 7662 introspection when configured', async () => {
    const good = await mintAccessToken(idp, 'carol', 'https://gateway.example/mcp', 'opaque');
    const { client } = await connectAs(introspecting.mcpUrl, good);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('open__echo');
    await client.close();
    const elsewhere = await mintAccessToken(idp, 'carol', 'https://other.example/mcp', 'opaque');
    const refused = await post(introspecting.mcpUrl, { authorization: `Bearer ${elsewhere}` });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain(
      `error_description="the token's aud claim is not accepted"`,
    );
    const unknown = await post(introspecting.mcpUrl, { authorization: 'Bearer not-a-token-the-idp-knows' });
    expect(unknown.headers.get('www-authenticate')).toContain('error_description="the token is not active"');
  });
});
