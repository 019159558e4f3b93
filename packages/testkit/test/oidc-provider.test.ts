import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OidcProviderHandle } from '../src/index.js';
import { startOidcProvider } from '../src/index.js';
import { postForm, send } from './http.js';
import { form, pkcePair } from './pkce.js';

// Never contacted: the test only reads the Location header that points there.
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const RESOURCE = 'http://127.0.0.1:9/mcp';

/** The authorization URL of the pre-registered public client, with the request's own parameters. */
function publicClientAuthorizeUrl(issuer: string, params: Record<string, string>): URL {
  const url = new URL(`${issuer}/auth`);
  url.search = form({
    client_id: 'public-client',
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    ...params,
  });
  return url;
}

describe('startOidcProvider (origin issuer, auto-approve)', () => {
  let op: OidcProviderHandle;
  beforeAll(async () => {
    op = await startOidcProvider({
      host: '127.0.0.5',
      clients: [
        {
          client_id: 'public-client',
          token_endpoint_auth_method: 'none',
          redirect_uris: [REDIRECT_URI],
          grant_types: ['authorization_code', 'refresh_token'],
        },
      ],
      resourceServers: { [RESOURCE]: { scope: 'mcp:tools mcp:admin' } },
    });
  });
  afterAll(() => op.close());

  it('serves OpenID discovery at the issuer, and the same document at the RFC 8414 URL', async () => {
    expect(op.issuer).toMatch(/^http:\/\/127\.0\.0\.5:\d+$/);
    expect(op.metadataUrl).toBe(`${op.issuer}/.well-known/openid-configuration`);
    const res = await send(op.metadataUrl);
    expect(res.status).toBe(200);
    const doc = res.json() as Record<string, unknown>;
    expect(doc.issuer).toBe(op.issuer);
    expect(doc.authorization_endpoint).toBe(`${op.issuer}/auth`);
    expect(doc.token_endpoint).toBe(`${op.issuer}/token`);
    expect(doc.registration_endpoint).toBe(`${op.issuer}/reg`);
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
    expect(doc.authorization_response_iss_parameter_supported).toBe(true);
    const oauth = await send(`${op.issuer}/.well-known/oauth-authorization-server`);
    expect(oauth.status).toBe(200);
    expect(oauth.json()).toEqual(doc);
  });

  it('runs a headless authorization code + PKCE flow with a resource indicator, then refreshes', async () => {
    const { verifier, challenge } = pkcePair();
    const authorize = publicClientAuthorizeUrl(op.issuer, {
      scope: 'openid mcp:tools',
      resource: RESOURCE,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'st-1',
    });
    // No cookies, no browser: one GET, and the redirect to the client carries the code.
    const redirect = await send(authorize.href);
    expect([302, 303]).toContain(redirect.status);
    const callback = new URL(String(redirect.headers.location));
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe('st-1');
    expect(callback.searchParams.get('iss')).toBe(op.issuer);
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();

    const token = await postForm(`${op.issuer}/token`, {
      grant_type: 'authorization_code',
      code: code!,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: 'public-client',
      resource: RESOURCE,
    });
    expect(token.status).toBe(200);
    const tokens = token.json() as Record<string, string>;
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.id_token).toBeTruthy();
    const info = await op.verifyAccessToken(tokens.access_token!, RESOURCE);
    expect(info).toMatchObject({ subject: 'testkit-user', clientId: 'public-client', audience: [RESOURCE] });
    expect(info?.scopes).toContain('mcp:tools');
    expect(info?.scopes).not.toContain('mcp:admin');
    expect(await op.verifyAccessToken(tokens.access_token!, 'http://127.0.0.1:9/other')).toBeNull();
    expect(await op.verifyAccessToken(`${tokens.access_token!}x`)).toBeNull();

    const refreshed = await postForm(`${op.issuer}/token`, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: 'public-client',
      resource: RESOURCE,
    });
    expect(refreshed.status).toBe(200);
    const next = refreshed.json() as Record<string, string>;
    expect(next.access_token).toBeTruthy();
    expect(await op.verifyAccessToken(next.access_token!, RESOURCE)).not.toBeNull();
  });

  it('requires PKCE: no code_challenge → error redirect invalid_request', async () => {
    const authorize = publicClientAuthorizeUrl(op.issuer, {
      scope: 'openid',
      state: 's',
    });
    const res = await send(authorize.href);
    const callback = new URL(String(res.headers.location));
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('rejects a wrong code_verifier with invalid_grant', async () => {
    const { challenge } = pkcePair();
    const authorize = publicClientAuthorizeUrl(op.issuer, {
      scope: 'openid',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const code = new URL(String((await send(authorize.href)).headers.location)).searchParams.get('code');
    const token = await postForm(`${op.issuer}/token`, {
      grant_type: 'authorization_code',
      code: code!,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkcePair().verifier,
      client_id: 'public-client',
    });
    expect(token.status).toBe(400);
    expect(token.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses an unknown resource indicator with invalid_target', async () => {
    const authorize = publicClientAuthorizeUrl(op.issuer, {
      scope: 'openid',
      resource: 'http://127.0.0.1:9/unknown',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    });
    const callback = new URL(String((await send(authorize.href)).headers.location));
    expect(callback.searchParams.get('error')).toBe('invalid_target');
  });

  it('registers clients dynamically (RFC 7591)', async () => {
    const res = await send(`${op.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: [REDIRECT_URI],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        client_name: 'dcr test',
      }),
    });
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({ client_id: expect.any(String), token_endpoint_auth_method: 'none' });
  });
});

describe('startOidcProvider options', () => {
  it('mounts a path issuer: documents only appended to the path (no RFC 8414 insertion); registration off', async () => {
    const op = await startOidcProvider({ issuerPath: '/oidc', registration: false });
    try {
      expect(op.issuer).toMatch(/\/oidc$/);
      const doc = (await send(op.metadataUrl)).json() as Record<string, unknown>;
      expect(doc.issuer).toBe(op.issuer);
      expect(doc.token_endpoint).toBe(`${op.issuer}/token`);
      expect(doc).not.toHaveProperty('registration_endpoint');
      const origin = new URL(op.issuer).origin;
      expect((await send(`${origin}/.well-known/openid-configuration/oidc`)).status).toBe(404);
      expect((await send(`${origin}/.well-known/oauth-authorization-server/oidc`)).status).toBe(404);
      expect((await send(`${op.issuer}/.well-known/oauth-authorization-server`)).status).toBe(200);
      expect((await send(`${op.issuer}/reg`, { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      await op.close();
    }
  });

  it('without autoApprove the interaction needs a person (403 interaction_required)', async () => {
    const op = await startOidcProvider({
      autoApprove: false,
      clients: [{ client_id: 'c', token_endpoint_auth_method: 'none', redirect_uris: [REDIRECT_URI] }],
    });
    try {
      const authorize = new URL(`${op.issuer}/auth`);
      authorize.search = form({
        client_id: 'c',
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        scope: 'openid',
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
      });
      const first = await send(authorize.href);
      expect(first.status).toBe(303);
      const interaction = new URL(String(first.headers.location), op.issuer);
      expect(interaction.pathname).toMatch(/^\/interaction\//);
      const page = await send(interaction.href);
      expect(page.status).toBe(403);
      expect(page.json()).toMatchObject({ error: 'interaction_required' });
    } finally {
      await op.close();
    }
  });

  it('rejects an issuerPath without a leading slash with INVALID_CONFIG', async () => {
    await expect(startOidcProvider({ issuerPath: 'oidc' })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
