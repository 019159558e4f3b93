import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DiscoveryResult, ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { createHttpClient } from '@oauth-discovery/core/http';
import { type AuthorizationServerHandle, startAuthorizationServer } from '@oauth-discovery/testkit';
import { fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createAuthFetch } from '../src/auth-fetch.js';
import { FlowErrorCodes } from '../src/error-codes.js';
import type { McpAuthEvent } from '../src/events.js';
import { storeKey } from '../src/flow.js';
import { undiciFetchLike } from '../src/provider.js';
import { createSession, type Discoverer, isFresh, type SessionSettings } from '../src/session.js';
import { issuerBinding } from '../src/store/binding.js';
import { createMemoryStore } from '../src/store/memory-store.js';
import type { TokenStore } from '../src/store/types.js';
import { fakeResult } from './helpers.js';

// These tests drive the flow against a real authorization server with discovery stubbed out (a
// hand-built result); the integration tests run the same flow with the real pipeline.

const http = createHttpClient();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
afterAll(async () => {
  await http.close();
});

async function as(
  options: Parameters<typeof startAuthorizationServer>[0] = {},
): Promise<AuthorizationServerHandle> {
  const server = await startAuthorizationServer(options);
  closers.push(() => server.close());
  return server;
}

/** A discoverer returning a result for `server`, with the challenge parsed the simple way. */
function stubDiscovery(
  server: AuthorizationServerHandle,
  resource: string,
  extra: Partial<Parameters<typeof fakeResult>[0]> = {},
) {
  const calls: (string | undefined)[] = [];
  const discoverer: Discoverer = {
    async discover(_resource, options = {}) {
      calls.push(options.challenge);
      const base = fakeResult({
        resource,
        issuer: server.issuer,
        // The server's document as is: a field it leaves out must not get the helper's default.
        metadata: {
          code_challenge_methods_supported: undefined,
          ...server.metadata,
        } as DiscoveryResult['authorizationServer']['metadata'],
        ...extra,
      });
      if (options.challenge === undefined) return base;
      const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(options.challenge ?? '')?.[1];
      const scope = param('scope')?.split(' ');
      const error = param('error');
      return {
        ...base,
        challenge: {
          scheme: 'Bearer',
          params: {},
          scope,
          error,
          status: options.challengeStatus,
        },
        scopes: scope ?? base.scopes,
      };
    },
  };
  return { discoverer, calls };
}

function settings(discovery: Discoverer, store: TokenStore, overrides: Partial<SessionSettings> = {}) {
  const events: McpAuthEvent[] = [];
  const session = createSession({
    serverUrl: 'http://127.0.0.1:9/mcp',
    discovery,
    http,
    init: { allowAddressRanges: ['loopback'] },
    store,
    client: {},
    frontChannel: { headless: true },
    scope: undefined,
    interactive: true,
    refreshSkewSeconds: 60,
    maxStepUps: 3,
    emit: (event) => events.push(event),
    ...overrides,
  });
  return { session, events };
}

const RESOURCE = 'http://127.0.0.1:9/mcp';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('isFresh', () => {
  const tokens = (obtainedAt: number, lifetimeMs: number) => ({
    accessToken: 'a',
    tokenType: 'Bearer',
    obtainedAt,
    expiresAt: obtainedAt + lifetimeMs,
  });
  it('refreshes within the skew before expiry', () => {
    expect(isFresh(tokens(0, 3_600_000), 60, 3_600_000 - 61_000)).toBe(true);
    expect(isFresh(tokens(0, 3_600_000), 60, 3_600_000 - 59_000)).toBe(false);
  });
  it('caps the skew at half the lifetime for short-lived tokens', () => {
    expect(isFresh(tokens(0, 30_000), 60, 14_000)).toBe(true);
    expect(isFresh(tokens(0, 30_000), 60, 16_000)).toBe(false);
  });
  it('treats tokens without expiry as fresh', () => {
    expect(isFresh({ accessToken: 'a', tokenType: 'Bearer', obtainedAt: 0 }, 60, 10 ** 13)).toBe(true);
  });
});

describe('session flow against a real authorization server', () => {
  it('authorizes headless: dynamic registration, PKCE, resource in both requests, iss checked, tokens stored', async () => {
    const server = await as();
    const store = createMemoryStore();
    const { discoverer } = stubDiscovery(server, RESOURCE, { scopes: ['read'] });
    const { session, events } = settings(discoverer, store);
    const tokens = await session.ensureTokens();
    expect(tokens.accessToken).toBe(server.issuedTokens[0]?.token);
    expect(server.resourcesSeen).toEqual([RESOURCE, RESOURCE]);
    expect(server.issuedTokens[0]?.scopes).toEqual(['read']);
    const result = await session.discover();
    expect(await store.readTokens(storeKey(result))).toEqual(tokens);
    expect(await store.readPending(storeKey(result))).toBeUndefined();
    expect((await store.readClient(issuerBinding(result.authorizationServer)))?.source).toBe('dynamic');
    expect(events.map((e) => e.type)).toEqual([
      'discovered',
      'client',
      'authorization-started',
      'authorized',
    ]);
    // Stored and fresh: no second authorization.
    await session.ensureTokens();
    expect(server.count('/authorize')).toBe(1);
  });

  it("sends a provider's extra authorization parameters (Auth0's audience), never one the flow computes", async () => {
    const server = await as();
    const { discoverer } = stubDiscovery(server, RESOURCE, {
      hints: { extraAuthorizationParameters: { audience: 'https://api.example', state: 'forged' } },
    });
    const { session } = settings(discoverer, createMemoryStore());
    await session.ensureTokens();
    const authorize = server.requests.find((request) => request.path === '/authorize');
    const query = new URL(authorize?.url ?? 'http://invalid').searchParams;
    expect(query.get('audience')).toBe('https://api.example');
    expect(query.getAll('state')).toHaveLength(1);
    expect(query.get('state')).not.toBe('forged');
  });

  it('authorizes through the loopback callback server with a browser that follows redirects', async () => {
    const server = await as();
    const opened: string[] = [];
    const { session, events } = settings(stubDiscovery(server, RESOURCE).discoverer, createMemoryStore(), {
      frontChannel: {
        openBrowser: async (url) => {
          opened.push(url);
          const page = await undiciFetch(url);
          expect(await page.text()).toContain('You are signed in');
        },
      },
    });
    const tokens = await session.ensureTokens();
    expect(tokens.accessToken).toBe(server.issuedTokens[0]?.token);
    const started = events.find((e) => e.type === 'authorization-started');
    expect(started?.type === 'authorization-started' && started.redirectUri).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/callback$/,
    );
    expect(opened).toHaveLength(1);
  });

  it('ignores a callback with another state until the timeout (TIMEOUT), and exchanges no code', async () => {
    const server = await as();
    const store = createMemoryStore();
    const { session } = settings(stubDiscovery(server, RESOURCE).discoverer, store, {
      frontChannel: {
        callbackTimeoutMs: 500,
        openBrowser: async (url) => {
          const tampered = new URL(url);
          tampered.searchParams.set('state', 'forged');
          await undiciFetch(tampered);
        },
      },
    });
    const error = await session.ensureTokens().catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.TIMEOUT)).toBe(true);
    expect((error as Error).message).toContain('1 response with an unknown state was ignored');
    expect(server.count('/token')).toBe(0);
    // The in-flight record (state, PKCE verifier) does not outlive the failed attempt.
    expect(await store.readPending(storeKey(await session.discover()))).toBeUndefined();
  });

  it('refuses an authorization server without PKCE advertisement before any request, and proceeds with the hint', async () => {
    const server = await as({ pkceAdvertised: false });
    const refused = settings(stubDiscovery(server, RESOURCE).discoverer, createMemoryStore());
    const error = await refused.session.ensureTokens().catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.PKCE_NOT_SUPPORTED)).toBe(true);
    expect(server.count('/authorize') + server.count('/register')).toBe(0);

    const hinted = settings(
      stubDiscovery(server, RESOURCE, { hints: { pkceS256KnownSupported: true } }).discoverer,
      createMemoryStore(),
    );
    await hinted.session.ensureTokens();
    expect(server.count('/authorize')).toBe(1);
  });

  it('omits the resource parameter when a hint says so', async () => {
    const server = await as();
    const { session } = settings(
      stubDiscovery(server, RESOURCE, { hints: { omitResourceParameter: true } }).discoverer,
      createMemoryStore(),
    );
    await session.ensureTokens();
    expect(server.resourcesSeen).toEqual([]);
    expect(server.count('/token')).toBe(1);
  });

  it('uses a pre-registered confidential client with the auth method the server supports', async () => {
    const server = await as({
      registration: 'unadvertised',
      clients: [
        {
          client_id: 'pre',
          client_secret: 'sec',
          redirect_uris: ['http://127.0.0.1/callback'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
    });
    const { session } = settings(stubDiscovery(server, RESOURCE).discoverer, createMemoryStore(), {
      client: { clientId: 'pre', clientSecret: 'sec' },
    });
    await session.ensureTokens();
    expect(server.issuedTokens[0]?.clientId).toBe('pre');
    expect(server.count('/register')).toBe(0);
  });

  it('fails with TOKEN_REQUEST_FAILED when the token endpoint answers an error', async () => {
    const server = await as({ tokenError: { error: 'invalid_client', status: 401, description: 'nope' } });
    const { session } = settings(stubDiscovery(server, RESOURCE).discoverer, createMemoryStore());
    const error = await session.ensureTokens().catch((e: unknown) => e);
    expect(isDiscoveryError(error, FlowErrorCodes.TOKEN_REQUEST_FAILED)).toBe(true);
    expect((error as Error).message).toContain('invalid_client (nope)');
  });

  it('rejects an authorization response whose iss is not the issuer (RFC 9207)', async () => {
    const server = await as();
    const { session } = settings(
      stubDiscovery(server, RESOURCE, {
        metadata: { ...(server.metadata as object), issuer: 'http://127.0.0.1:1/elsewhere' },
      }).discoverer,
      createMemoryStore(),
    );
    const error = await session.ensureTokens().catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.ISSUER_MISMATCH)).toBe(true);
    expect(server.count('/token')).toBe(0);
  });

  it('refreshes before expiry (within the skew) instead of authorizing again, once for concurrent callers', async () => {
    const server = await as({ accessTokenTtlSeconds: 2 });
    const { session, events } = settings(stubDiscovery(server, RESOURCE).discoverer, createMemoryStore());
    const first = await session.ensureTokens();
    expect((await session.ensureTokens()).accessToken).toBe(first.accessToken);
    // Past half of the 2 s lifetime (the skew is capped at half), so inside the refresh window.
    await sleep(1_200);
    const [second, concurrent] = await Promise.all([session.ensureTokens(), session.ensureTokens()]);
    expect(concurrent).toEqual(second);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(server.count('/authorize')).toBe(1);
    expect(server.count('/token')).toBe(2);
    expect(events.filter((e) => e.type === 'refreshed')).toHaveLength(1);
    expect(server.resourcesSeen.at(-1)).toBe(RESOURCE);
  });

  it('keeps the refresh token when a refresh fails, marks it, and tells the user to log in', async () => {
    const server = await as({ accessTokenTtlSeconds: 1 });
    const store = createMemoryStore();
    const { discoverer } = stubDiscovery(server, RESOURCE);
    const first = await settings(discoverer, store).session.ensureTokens();
    await sleep(1_100);
    server.failRefresh = true;
    const { session, events } = settings(discoverer, store, { interactive: false });
    const error = await session.ensureTokens().catch((e: unknown) => e);
    expect(isDiscoveryError(error, FlowErrorCodes.LOGIN_REQUIRED)).toBe(true);
    expect((error as Error).message).toContain('oauth-discovery login');
    expect((error as Error).message).toContain('kept');
    const kept = await store.readTokens(storeKey(await session.discover()));
    expect(kept?.refreshToken).toBe(first.refreshToken);
    expect(kept?.refreshFailed?.error).toBe('invalid_grant');
    expect(events.some((e) => e.type === 'refresh-failed')).toBe(true);
    // A marked token is not tried again: no further refresh request.
    const tokenRequests = server.count('/token');
    await session.ensureTokens().catch(() => undefined);
    expect(server.count('/token')).toBe(tokenRequests);
  });

  it('says LOGIN_REQUIRED without tokens when not interactive', async () => {
    const server = await as();
    const { session } = settings(stubDiscovery(server, RESOURCE).discoverer, createMemoryStore(), {
      interactive: false,
    });
    const error = await session.ensureTokens().catch((e: unknown) => e);
    expect(isDiscoveryError(error, FlowErrorCodes.LOGIN_REQUIRED)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });
});

describe('auth fetch: 401 and 403 from the resource', () => {
  async function resource(
    handler: (auth: string | undefined) => { status: number; header?: string },
  ): Promise<string> {
    const server: Server = createServer((req, res) => {
      const answer = handler(req.headers.authorization);
      res.writeHead(answer.status, {
        'content-type': 'application/json',
        ...(answer.header === undefined ? {} : { 'www-authenticate': answer.header }),
      });
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  }

  it('stops a 403 insufficient_scope loop after 3 authorizations in all with STEP_UP_LIMIT', async () => {
    const server = await as();
    const url = await resource(() => ({
      status: 403,
      header: 'Bearer error="insufficient_scope", scope="admin"',
    }));
    const { discoverer, calls } = stubDiscovery(server, url, { scopes: ['read'] });
    const { session, events } = settings(discoverer, createMemoryStore());
    const fetch = createAuthFetch(session, undiciFetchLike);
    const error = await fetch(url, { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    expect(isDiscoveryError(error, FlowErrorCodes.STEP_UP_LIMIT)).toBe(true);
    // The first request carries no token: the 403 starts the first authorization, two step-ups follow.
    expect(server.count('/authorize')).toBe(3);
    expect(
      events.filter((e) => e.type === 'step-up').map((e) => (e.type === 'step-up' ? e.count : 0)),
    ).toEqual([1, 2, 3]);
    // Step-up asked for the union of the old and the challenged scopes, after re-discovery with the header.
    expect([...(server.issuedTokens.at(-1)?.scopes ?? [])].sort()).toEqual(['admin']);
    expect(calls).toHaveLength(4);
    expect(calls.every((c) => c !== undefined)).toBe(true);
  });

  it('steps up once and succeeds when the larger scope is granted', async () => {
    const server = await as();
    let granted = '';
    const url = await resource((auth) => {
      if (auth === undefined) return { status: 401, header: 'Bearer scope="read"' };
      const token = server.issuedTokens.find((t) => `Bearer ${t.token}` === auth);
      granted = token?.scopes.join(' ') ?? '';
      return token?.scopes.includes('admin')
        ? { status: 200 }
        : { status: 403, header: 'Bearer error="insufficient_scope", scope="read admin"' };
    });
    const { session } = settings(
      stubDiscovery(server, url, { scopes: ['read'] }).discoverer,
      createMemoryStore(),
    );
    const response = await createAuthFetch(session, undiciFetchLike)(url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(200);
    expect(granted.split(' ').sort()).toEqual(['admin', 'read']);
    expect(server.count('/authorize')).toBe(2);
  });

  it('answers a 401 by re-discovering with the challenge and refreshing, then retries once', async () => {
    const server = await as();
    let rejectFirst = true;
    const url = await resource((auth) => {
      if (auth === undefined) return { status: 401, header: 'Bearer' };
      if (rejectFirst) {
        rejectFirst = false;
        return { status: 401, header: 'Bearer error="invalid_token"' };
      }
      return { status: 200 };
    });
    const { discoverer, calls } = stubDiscovery(server, url);
    const { session } = settings(discoverer, createMemoryStore());
    const response = await createAuthFetch(session, undiciFetchLike)(url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(200);
    // No discovery before the first request: each round starts from a challenge.
    expect(calls).toEqual(['Bearer', 'Bearer error="invalid_token"']);
    expect(server.count('/authorize')).toBe(1);
    expect(server.count('/token')).toBe(2);
  });

  it('fails with AUTHORIZATION_FAILED when even a fresh token gets 401', async () => {
    const server = await as();
    const url = await resource(() => ({ status: 401, header: 'Bearer error="invalid_token"' }));
    const { session } = settings(stubDiscovery(server, url).discoverer, createMemoryStore());
    const error = await createAuthFetch(session, undiciFetchLike)(url, { method: 'POST', body: '{}' }).catch(
      (e: unknown) => e,
    );
    expect(isDiscoveryError(error, FlowErrorCodes.AUTHORIZATION_FAILED)).toBe(true);
  });

  it('passes a plain 403 (not insufficient_scope) to the caller, without authorizing', async () => {
    const server = await as();
    const url = await resource(() => ({ status: 403 }));
    const { session } = settings(stubDiscovery(server, url).discoverer, createMemoryStore());
    const response = await createAuthFetch(session, undiciFetchLike)(url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(403);
    expect(server.count('/authorize')).toBe(0);
  });
});
