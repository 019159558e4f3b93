import { ErrorCodes } from '@oauth-discovery/core';
import { createHttpClient } from '@oauth-discovery/core/http';
import {
  type AuthorizationServerHandle,
  type McpServerHandle,
  type OidcProviderHandle,
  startAuthorizationServer,
  startMcpServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Aggregator, startAggregator, validateConfig } from '../src/index.js';
import { createTeamIssuer } from '../src/team-issuer.js';
import { callbackQuery, freePort, gatewayClientMetadata, storeKeys } from './gateway-helpers.js';
import { tempDir } from './helpers.js';

// Issue 12: the status page's sign-in at the team issuer runs on the flow engine, fed by the team
// issuer's discovery (core's metadata fetch and HTTP client), not by openid-client's own discovery.

const PAGE_SECRET = 'gateway-page-secret-0123456789';

describe('the status page sign-in on the flow engine', () => {
  let idp: OidcProviderHandle;
  let open: McpServerHandle;
  let storage: Awaited<ReturnType<typeof tempDir>>;
  let gateway: Aggregator;
  let publicUrl: string;

  beforeAll(async () => {
    storage = await tempDir();
    publicUrl = `http://127.0.0.1:${await freePort()}`;
    idp = await startOidcProvider({
      clients: [
        gatewayClientMetadata,
        {
          client_id: 'gateway-page',
          client_secret: PAGE_SECRET,
          redirect_uris: [`${publicUrl}/ui/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      resourceServers: () => ({ scope: 'mcp' }),
    });
    open = await startMcpServer({ host: '127.0.0.1' });
    gateway = await startAggregator(
      validateConfig({
        listen: { host: '127.0.0.1', port: Number(new URL(publicUrl).port) },
        publicUrl,
        auth: {
          type: 'oauth',
          issuer: idp.issuer,
          scopes: ['mcp'],
          browser: { clientId: 'gateway-page', clientSecretEnv: 'PAGE_SECRET' },
        },
        storageDir: storage.dir,
        upstreams: [{ name: 'open', url: open.url, auth: { type: 'none' } }],
      }),
      { env: { OAUTH_DISCOVERY_STORE_KEYS: storeKeys(), PAGE_SECRET } },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all([idp?.close(), open?.close()]);
    await storage?.remove();
  });

  const startSignIn = async (): Promise<URL> => {
    const response = await fetch(`${publicUrl}/ui/signin`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    return new URL(response.headers.get('location') ?? '');
  };
  const callback = (query: string) => fetch(`${publicUrl}/ui/callback${query}`, { redirect: 'manual' });

  it('sends the browser to the issuer with PKCE S256, the aggregator as resource and openid + the scopes', async () => {
    const url = await startSignIn();
    expect(url.origin).toBe(new URL(idp.issuer).origin);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: 'gateway-page',
      response_type: 'code',
      redirect_uri: `${publicUrl}/ui/callback`,
      scope: 'openid mcp',
      resource: `${publicUrl}/mcp`,
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it('finishes at the callback with a session cookie; the callback cannot be replayed', async () => {
    const query = await callbackQuery((await startSignIn()).href, `${publicUrl}/ui/callback`);
    const finished = await callback(query);
    expect(finished.status).toBe(303);
    const cookie = finished.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      /^aggregator_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/,
    );
    const page = await fetch(`${publicUrl}/`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Signed in as ${idp.accountId} at ${idp.issuer}`);

    const replayed = await callback(query);
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toContain('Sign-in failed: STATE_MISMATCH');
  });

  it('refuses a callback naming another issuer (RFC 9207 iss: ISSUER_MISMATCH) and sets no cookie', async () => {
    const query = new URLSearchParams(
      await callbackQuery((await startSignIn()).href, `${publicUrl}/ui/callback`),
    );
    expect(query.get('iss')).toBe(idp.issuer);
    query.set('iss', 'https://attacker.example');
    const refused = await callback(`?${query}`);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect(await refused.text()).toContain('Sign-in failed: ISSUER_MISMATCH');
  });

  it('an error answer of the issuer is AUTHORIZATION_FAILED', async () => {
    const state = (await startSignIn()).searchParams.get('state') ?? '';
    const refused = await callback(
      `?${new URLSearchParams({ state, iss: idp.issuer, error: 'access_denied' })}`,
    );
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Sign-in failed: AUTHORIZATION_FAILED');
  });
});

describe('the team issuer discovery', () => {
  let as: AuthorizationServerHandle;
  let liar: AuthorizationServerHandle;
  const http = createHttpClient();

  beforeAll(async () => {
    as = await startAuthorizationServer({ basePath: '/tenant' });
    liar = await startAuthorizationServer({ metadata: { issuer: 'https://other-issuer.example' } });
  });
  afterAll(async () => {
    await Promise.all([as?.close(), liar?.close(), http.close()]);
  });

  it('fetches the RFC 8414 metadata of the issuer for the aggregator resource, once', async () => {
    const issuer = createTeamIssuer({ issuer: as.issuer, resource: () => 'http://127.0.0.1:1/mcp', http });
    const result = await issuer.discover();
    expect(result.authorizationServer).toMatchObject({ issuer: as.issuer, issuerCheck: 'exact' });
    expect(result.resource).toBe('http://127.0.0.1:1/mcp');
    expect((await issuer.metadata()).token_endpoint).toBe(as.metadata.token_endpoint);
    expect(as.requests.filter((request) => request.path.includes('/.well-known/'))).toHaveLength(1);
    await issuer.close();
  });

  it('refuses metadata naming another issuer (RFC 8414 §3.3), and tries again on the next call', async () => {
    const issuer = createTeamIssuer({ issuer: liar.issuer, resource: () => 'http://127.0.0.1:1/mcp', http });
    await expect(issuer.discover()).rejects.toMatchObject({ code: ErrorCodes.ISSUER_MISMATCH });
    await expect(issuer.metadata()).rejects.toMatchObject({ code: ErrorCodes.ISSUER_MISMATCH });
    await issuer.close();
  });

  it('goes through the SSRF guard: a loopback issuer of a public aggregator is blocked', async () => {
    const issuer = createTeamIssuer({
      issuer: as.issuer,
      resource: () => 'https://gateway.example/mcp',
      http,
    });
    await expect(issuer.discover()).rejects.toMatchObject({ code: ErrorCodes.BLOCKED_ADDRESS });
    await issuer.close();
  });
});
