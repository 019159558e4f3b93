import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpServerHandle, OidcProviderHandle } from '../src/index.js';
import { startMcpServer, startOidcProvider } from '../src/index.js';
import { postForm, send } from './http.js';
import { connectClient } from './mcp-client.js';
import { form, pkcePair } from './pkce.js';

const REDIRECT = 'http://127.0.0.1:9/callback';

describe('an MCP server backed by oidc-provider', () => {
  let op: OidcProviderHandle;
  let mcp: McpServerHandle;
  beforeAll(async () => {
    op = await startOidcProvider({
      host: '127.0.0.6',
      clients: [{ client_id: 'c', token_endpoint_auth_method: 'none', redirect_uris: [REDIRECT] }],
      resourceServers: (resource) => (resource === mcp.url ? { scope: 'mcp:tools' } : undefined),
    });
    mcp = await startMcpServer({
      host: '127.0.0.7',
      verifyToken: (token) => op.verifyAccessToken(token, mcp.url),
      resourceMetadata: { authorizationServers: [op.issuer], scopesSupported: ['mcp:tools'] },
      toolScopes: { echo: ['mcp:tools'] },
    });
  });
  afterAll(async () => {
    await mcp.close();
    await op.close();
  });

  it('a token for the MCP resource calls tools; a token for another audience is refused', async () => {
    const { verifier, challenge } = pkcePair();
    const authorize = new URL(`${op.issuer}/auth`);
    authorize.search = form({
      client_id: 'c',
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'mcp:tools',
      resource: mcp.url,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const code = new URL(String((await send(authorize.href)).headers.location)).searchParams.get('code')!;
    const tokens = (
      await postForm(`${op.issuer}/token`, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: 'c',
        resource: mcp.url,
      })
    ).json() as Record<string, string>;
    const { client } = await connectClient(mcp.url, tokens.access_token);
    try {
      expect(await client.callTool({ name: 'echo', arguments: { text: 'via oidc' } })).toMatchObject({
        content: [{ text: 'via oidc' }],
      });
      expect((await client.callTool({ name: 'whoami', arguments: {} })).structuredContent).toMatchObject({
        subject: 'testkit-user',
        scopes: ['mcp:tools'],
      });
    } finally {
      await client.close();
    }
    // An unknown resource is refused by the provider itself.
    const other = new URL(authorize);
    other.searchParams.set('resource', `${mcp.origin}/elsewhere`);
    expect(new URL(String((await send(other.href)).headers.location)).searchParams.get('error')).toBe(
      'invalid_target',
    );
  });
});
