import { isDiscoveryError } from '@oauth-discovery/core';
import { createHttpClient } from '@oauth-discovery/core/http';
import { startMcpServer, startOidcProvider } from '@oauth-discovery/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { login } from '../src/connect.js';
import { engineConfiguration } from '../src/engine/configuration.js';
import { refreshTokens } from '../src/engine/refresh.js';
import { FlowErrorCodes } from '../src/error-codes.js';
import { issuerBinding } from '../src/store/binding.js';
import { createMemoryStore } from '../src/store/memory-store.js';
import type { StoredTokens } from '../src/store/types.js';

// The refresh-token rotation rule, once, on the engine, against oidc-provider (which rotates the
// refresh tokens of public clients and refuses a rotated-away one with invalid_grant).

const http = createHttpClient({ allowAddressRanges: ['loopback'] });
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
afterAll(() => http.close());

async function loggedIn() {
  let resourceUrl = '';
  const oidc = await startOidcProvider({
    host: '127.0.12.1',
    resourceServers: (resource) => (resource === resourceUrl ? { scope: 'mcp:tools' } : undefined),
  });
  closers.push(() => oidc.close());
  const mcp = await startMcpServer({
    host: '127.0.12.2',
    verifyToken: (token) => oidc.verifyAccessToken(token, resourceUrl),
    resourceMetadata: {
      authorizationServers: [oidc.issuer],
      scopesSupported: ['mcp:tools', 'offline_access'],
    },
  });
  closers.push(() => mcp.close());
  resourceUrl = mcp.url;
  const store = createMemoryStore();
  const { result, tokens } = await login({ serverUrl: mcp.url, headless: true, store });
  const client = await store.readClient(issuerBinding(result.authorizationServer));
  if (client === undefined || tokens.refreshToken === undefined)
    throw new Error('login stored no client or refresh token');
  const configuration = engineConfiguration(result, client, {
    http,
    init: { allowAddressRanges: ['loopback'] },
  });
  return { result, configuration, tokens: { ...tokens, refreshToken: tokens.refreshToken }, oidc, mcp };
}

describe('refresh-token rotation (engine, oidc-provider)', () => {
  it('stores a rotated refresh token before the new access token is returned; a failed refresh keeps the old one, marked', async () => {
    const { result, configuration, tokens, oidc } = await loggedIn();
    const steps: string[] = [];
    let stored: StoredTokens | undefined;
    const storage = {
      async save(next: StoredTokens) {
        steps.push(next.refreshFailed === undefined ? 'saved new tokens' : 'saved marked tokens');
        stored = next;
        return next;
      },
    };

    const fresh = await refreshTokens(configuration, result, tokens, storage);
    steps.push('returned');
    expect(fresh.refreshToken).toBeDefined();
    expect(fresh.refreshToken).not.toBe(tokens.refreshToken);
    expect(fresh.accessToken).not.toBe(tokens.accessToken);
    expect(stored).toEqual(fresh);
    expect(steps).toEqual(['saved new tokens', 'returned']);
    expect(await oidc.verifyAccessToken(fresh.accessToken)).not.toBeNull();

    // The rotated-away refresh token is refused (invalid_grant): the tokens are kept, refresh token included, and marked.
    const refused = await refreshTokens(configuration, result, tokens, storage).catch((e: unknown) => e);
    expect(isDiscoveryError(refused, FlowErrorCodes.TOKEN_REQUEST_FAILED)).toBe(true);
    expect(steps).toEqual(['saved new tokens', 'returned', 'saved marked tokens']);
    expect(stored).toMatchObject({
      refreshToken: tokens.refreshToken,
      accessToken: tokens.accessToken,
      refreshFailed: { error: 'invalid_grant' },
    });
  });

  it('never hands out the new access token when the rotated refresh token could not be stored', async () => {
    const { result, configuration, tokens } = await loggedIn();
    const failure = new Error('disk full');
    const outcome = await refreshTokens(configuration, result, tokens, {
      save: () => Promise.reject(failure),
    }).catch((e: unknown) => e);
    expect(outcome).toBe(failure);
  });
});
