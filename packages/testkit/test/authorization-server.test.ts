import { afterEach, describe, expect, it } from 'vitest';
import type { AuthorizationServerHandle, AuthorizationServerOptions } from '../src/index.js';
import { startAuthorizationServer } from '../src/index.js';
import { send } from './http.js';
import { obtainTokens } from './oauth-flow.js';
import { FORM, form, pkcePair } from './pkce.js';

const REDIRECT = 'http://127.0.0.1:9/callback';
const RESOURCE = 'http://127.0.0.1:9/mcp';
const PUBLIC = { client_id: 'pub', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' as const };
const CONFIDENTIAL = { client_id: 'conf', client_secret: 's3cret', redirect_uris: [REDIRECT] };

let as: AuthorizationServerHandle | undefined;
afterEach(async () => {
  await as?.close();
  as = undefined;
});
const start = async (options: AuthorizationServerOptions = {}) => {
  as = await startAuthorizationServer({ clients: [PUBLIC, CONFIDENTIAL], ...options });
  return as;
};

const authorizeUrl = (server: AuthorizationServerHandle, fields: Record<string, string>) => {
  const url = new URL(server.url('/authorize'));
  url.search = form({ client_id: 'pub', response_type: 'code', redirect_uri: REDIRECT, ...fields });
  return url.href;
};
const tokenRequest = (server: AuthorizationServerHandle, fields: Record<string, string>, headers = {}) =>
  send(server.url('/token'), { method: 'POST', headers: { ...FORM, ...headers }, body: form(fields) });

describe('startAuthorizationServer: metadata', () => {
  it('serves RFC 8414 metadata for its origin by default', async () => {
    const server = await start();
    expect(server.metadataUrl).toBe(`${server.origin}/.well-known/oauth-authorization-server`);
    const doc = (await send(server.metadataUrl!)).json() as Record<string, unknown>;
    expect(doc).toEqual(server.metadata);
    expect(doc).toMatchObject({
      issuer: server.origin,
      authorization_endpoint: `${server.origin}/authorize`,
      token_endpoint: `${server.origin}/token`,
      registration_endpoint: `${server.origin}/register`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
  });

  it('path issuer with basePath: metadata at the path-inserted URL', async () => {
    const server = await start({ basePath: '/tenant1' });
    expect(server.issuer).toBe(`${server.origin}/tenant1`);
    expect(server.metadataUrl).toBe(`${server.origin}/.well-known/oauth-authorization-server/tenant1`);
    expect((await send(server.metadataUrl!)).json()).toMatchObject({
      token_endpoint: `${server.origin}/tenant1/token`,
    });
    expect((await send(`${server.origin}/.well-known/oauth-authorization-server`)).status).toBe(404);
  });

  it('names a foreign issuer, serves at chosen paths, omits PKCE and registration, applies overrides', async () => {
    const server = await start({
      issuer: () => 'http://127.0.0.9:1',
      metadataPaths: ['/a', '/b'],
      pkceAdvertised: false,
      registration: 'unadvertised',
      metadata: { revocation_endpoint: undefined, service_documentation: 'https://example.test' },
    });
    const doc = (await send(server.url('/b'))).json() as Record<string, unknown>;
    expect(doc.issuer).toBe('http://127.0.0.9:1');
    expect(doc).not.toHaveProperty('code_challenge_methods_supported');
    expect(doc).not.toHaveProperty('registration_endpoint');
    expect(doc).not.toHaveProperty('revocation_endpoint');
    expect(doc.service_documentation).toBe('https://example.test');
    expect((await send(server.url('/register'), { method: 'POST', body: '{}' })).status).toBe(404);
  });
});

describe('startAuthorizationServer: authorization code + PKCE', () => {
  it('issues a code with state and iss, tokens for the resource, and introspects them', async () => {
    const server = await start({ resources: [RESOURCE] });
    const { verifier, challenge } = pkcePair();
    const redirect = await send(
      authorizeUrl(server, {
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 'xyz',
        scope: 'mcp',
        resource: RESOURCE,
      }),
    );
    expect(redirect.status).toBe(302);
    const back = new URL(String(redirect.headers.location));
    expect(back.searchParams.get('state')).toBe('xyz');
    expect(back.searchParams.get('iss')).toBe(server.issuer);
    const tokens = await tokenRequest(server, {
      grant_type: 'authorization_code',
      code: back.searchParams.get('code')!,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: 'pub',
      resource: RESOURCE,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.headers['cache-control']).toBe('no-store');
    const body = tokens.json() as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'mcp' });
    const info = await server.introspect(body.access_token as string);
    expect(info).toMatchObject({
      subject: 'testkit-user',
      scopes: ['mcp'],
      clientId: 'pub',
      audience: [RESOURCE],
    });
    expect(await server.introspect('nope')).toBeNull();
    expect(server.resourcesSeen).toEqual([RESOURCE, RESOURCE]);
    expect(server.issuedTokens[0]?.resource).toBe(RESOURCE);
    const remote = await send(server.url('/introspect'), {
      method: 'POST',
      headers: FORM,
      body: form({ token: body.access_token as string }),
    });
    expect(remote.json()).toMatchObject({ active: true, sub: 'testkit-user' });
    expect(server.count('/token')).toBe(1);
  });

  it('matches loopback redirect URIs on any port (RFC 8252)', async () => {
    const server = await start();
    const res = await send(
      authorizeUrl(server, {
        redirect_uri: 'http://127.0.0.1:54321/callback',
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
      }),
    );
    expect(String(res.headers.location)).toMatch(/^http:\/\/127\.0\.0\.1:54321\/callback\?code=/);
  });

  it('never redirects for an unknown client or an unregistered redirect_uri', async () => {
    const server = await start();
    const unknown = await send(authorizeUrl(server, { client_id: 'ghost' }));
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toMatchObject({ error: 'invalid_request' });
    const wrong = await send(authorizeUrl(server, { redirect_uri: 'http://127.0.0.1:9/other' }));
    expect(wrong.status).toBe(400);
    expect(wrong.headers.location).toBeUndefined();
  });

  it.each([
    ['missing PKCE', {}, 'invalid_request'],
    ['plain PKCE', { code_challenge: 'abc', code_challenge_method: 'plain' }, 'invalid_request'],
    [
      'response_type token',
      { response_type: 'token', code_challenge: 'x', code_challenge_method: 'S256' },
      'unsupported_response_type',
    ],
    [
      'unknown resource',
      { resource: 'http://127.0.0.1:9/other', code_challenge: 'x', code_challenge_method: 'S256' },
      'invalid_target',
    ],
    [
      'resource with fragment',
      { resource: `${RESOURCE}#f`, code_challenge: 'x', code_challenge_method: 'S256' },
      'invalid_target',
    ],
  ])('redirects with an error for %s', async (_name, fields, error) => {
    const server = await start({ resources: [RESOURCE] });
    const back = new URL(String((await send(authorizeUrl(server, fields))).headers.location));
    expect(back.searchParams.get('error')).toBe(error);
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('allows no PKCE only when requirePkce is false', async () => {
    const server = await start({ requirePkce: false, issParameter: false });
    const back = new URL(String((await send(authorizeUrl(server, {}))).headers.location));
    expect(back.searchParams.get('code')).toBeTruthy();
    expect(back.searchParams.get('iss')).toBeNull();
  });
});

describe('startAuthorizationServer: token endpoint errors (RFC 6749 §5.2)', () => {
  const codeFor = async (server: AuthorizationServerHandle) => {
    const pair = pkcePair();
    const back = new URL(
      String(
        (await send(authorizeUrl(server, { code_challenge: pair.challenge, code_challenge_method: 'S256' })))
          .headers.location,
      ),
    );
    return { code: back.searchParams.get('code')!, verifier: pair.verifier };
  };

  it('wrong verifier and reused code are invalid_grant', async () => {
    const server = await start();
    const { code, verifier } = await codeFor(server);
    const base = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'pub' };
    const wrong = await tokenRequest(server, { ...base, code_verifier: pkcePair().verifier });
    expect(wrong.status).toBe(400);
    expect(wrong.json()).toMatchObject({ error: 'invalid_grant' });
    // The failed attempt consumed the code (RFC 6749 §4.1.2: a code is used once).
    const again = await tokenRequest(server, { ...base, code_verifier: verifier });
    expect(again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('missing grant_type, unsupported grant_type, unknown client, wrong secret', async () => {
    const server = await start();
    expect((await tokenRequest(server, { client_id: 'pub' })).json()).toMatchObject({
      error: 'invalid_request',
    });
    expect((await tokenRequest(server, { client_id: 'pub', grant_type: 'password' })).json()).toMatchObject({
      error: 'unsupported_grant_type',
    });
    const unknown = await tokenRequest(server, { client_id: 'ghost', grant_type: 'authorization_code' });
    expect(unknown.status).toBe(401);
    expect(unknown.json()).toMatchObject({ error: 'invalid_client' });
    const basic = `Basic ${Buffer.from('conf:wrong').toString('base64')}`;
    const badSecret = await tokenRequest(
      server,
      { grant_type: 'authorization_code' },
      { authorization: basic },
    );
    expect(badSecret.status).toBe(401);
    expect(badSecret.headers['www-authenticate']).toBe('Basic realm="token"');
  });

  it('confidential client authenticates with client_secret_basic and client_secret_post', async () => {
    const server = await start();
    const pair = pkcePair();
    const url = new URL(server.url('/authorize'));
    url.search = form({
      client_id: 'conf',
      response_type: 'code',
      redirect_uri: REDIRECT,
      code_challenge: pair.challenge,
      code_challenge_method: 'S256',
    });
    const code = new URL(String((await send(url.href)).headers.location)).searchParams.get('code')!;
    const basic = `Basic ${Buffer.from('conf:s3cret').toString('base64')}`;
    const ok = await tokenRequest(
      server,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: pair.verifier },
      { authorization: basic },
    );
    expect(ok.status).toBe(200);
    const refresh = (ok.json() as { refresh_token: string }).refresh_token;
    const post = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: refresh,
      client_id: 'conf',
      client_secret: 's3cret',
    });
    expect(post.status).toBe(200);
  });

  it('tokenError forces an error on every token request', async () => {
    const server = await start({ tokenError: { error: 'temporarily_unavailable', status: 503 } });
    const res = await tokenRequest(server, { grant_type: 'authorization_code', client_id: 'pub' });
    expect(res.status).toBe(503);
    expect(res.json()).toMatchObject({ error: 'temporarily_unavailable' });
  });
});

describe('startAuthorizationServer: refresh', () => {
  it('rotates refresh tokens, and failRefresh makes refresh fail', async () => {
    const server = await start({ accessTokenTtlSeconds: 1 });
    const first = await obtainTokens(server.origin, { clientId: 'pub', redirectUri: REDIRECT });
    expect(first.expires_in).toBe(1);
    const refreshed = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token!,
      client_id: 'pub',
    });
    expect(refreshed.status).toBe(200);
    const second = refreshed.json() as Record<string, string>;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const reused = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token!,
      client_id: 'pub',
    });
    expect(reused.json()).toMatchObject({ error: 'invalid_grant' });
    server.failRefresh = true;
    const failed = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: second.refresh_token!,
      client_id: 'pub',
    });
    expect(failed.status).toBe(400);
    expect(failed.json()).toMatchObject({ error: 'invalid_grant' });
    server.failRefresh = false;
    const works = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: second.refresh_token!,
      client_id: 'pub',
    });
    expect(works.status).toBe(200);
  });

  it('an expired access token no longer introspects', async () => {
    const server = await start({ accessTokenTtlSeconds: 0 });
    const tokens = await obtainTokens(server.origin, { clientId: 'pub', redirectUri: REDIRECT });
    expect(await server.introspect(tokens.access_token!)).toBeNull();
  });
});

describe('startAuthorizationServer: dynamic registration (RFC 7591)', () => {
  it('registers public and confidential clients that can then authorize', async () => {
    const server = await start();
    const pub = await send(server.url('/register'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: [REDIRECT],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        client_name: 'x',
      }),
    });
    expect(pub.status).toBe(201);
    const registered = pub.json() as Record<string, unknown>;
    expect(registered).toMatchObject({ client_name: 'x', token_endpoint_auth_method: 'none' });
    expect(registered).not.toHaveProperty('client_secret');
    expect(server.clients.has(registered.client_id as string)).toBe(true);
    const tokens = await obtainTokens(server.origin, {
      clientId: registered.client_id as string,
      redirectUri: REDIRECT,
    });
    expect(tokens.access_token).toBeTruthy();

    const conf = (
      await send(server.url('/register'), {
        method: 'POST',
        body: JSON.stringify({ redirect_uris: [REDIRECT] }),
      })
    ).json();
    expect(conf).toMatchObject({
      token_endpoint_auth_method: 'client_secret_basic',
      client_secret: expect.any(String),
    });
  });

  it.each([
    ['no redirect_uris', {}, 'invalid_redirect_uri'],
    ['relative redirect_uri', { redirect_uris: ['/cb'] }, 'invalid_redirect_uri'],
    [
      'bad auth method',
      { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'private_key_jwt' },
      'invalid_client_metadata',
    ],
  ])('refuses %s with 400', async (_name, body, error) => {
    const server = await start();
    const res = await send(server.url('/register'), { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error });
  });

  it('refuses with 400 for non-JSON and 403 when registration is false', async () => {
    const server = await start();
    expect((await send(server.url('/register'), { method: 'POST', body: 'nope' })).status).toBe(400);
    await server.close();
    const closed = await start({ registration: false });
    expect(closed.metadata).toHaveProperty('registration_endpoint');
    const res = await send(closed.url('/register'), {
      method: 'POST',
      body: JSON.stringify({ redirect_uris: [REDIRECT] }),
    });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ error: 'access_denied' });
  });

  it('rejects a basePath without a leading slash with INVALID_CONFIG', async () => {
    await expect(startAuthorizationServer({ basePath: 'x' })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });
  });
});
