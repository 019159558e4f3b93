import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { createHttpClient } from '@oauth-discovery/core/http';
import {
  type AuthorizationServerHandle,
  type McpServerHandle,
  type OidcProviderHandle,
  startAuthorizationServer,
  startMcpServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { createRecommendedPipeline } from 'oauth-discovery';
import { authorizationCodeGrant, refreshTokenGrant } from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  discoverConfiguration,
  isOAuthRefusal,
  LOOPBACK_HTTP_RELAXATION,
  tokenParameters,
  toOpenidClientConfiguration,
  unwrapDiscoveryError,
} from '../src/index.js';
import { authorizeHeadless } from './fixtures.js';

const REDIRECT = 'http://127.0.0.1:9/callback';

describe('against the testkit authorization server', () => {
  let as: AuthorizationServerHandle;
  let mcp: McpServerHandle;
  beforeAll(async () => {
    as = await startAuthorizationServer({
      host: '127.0.0.21',
      clients: [{ client_id: 'pre', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }],
      scopes: ['mcp:tools'],
    });
    mcp = await startMcpServer({
      host: '127.0.0.22',
      verifyToken: (token) => as.introspect(token),
      resourceMetadata: { authorizationServers: [as.issuer], scopesSupported: ['mcp:tools'] },
    });
  });
  afterAll(async () => {
    await mcp.close();
    await as.close();
  });

  it('discovers, then runs code + PKCE and refresh with openid-client through our HTTP client', async () => {
    const http = createHttpClient({ allowAddressRanges: ['loopback'] });
    try {
      const { configuration, result, relaxations } = await discoverConfiguration(
        mcp.url,
        { clientId: 'pre' },
        { http, presets: false },
      );
      expect(result.authorizationServer.issuer).toBe(as.issuer);
      expect(relaxations).toEqual([LOOPBACK_HTTP_RELAXATION]);

      const login = await authorizeHeadless(configuration, result, REDIRECT);
      const tokens = await authorizationCodeGrant(
        configuration,
        login.callback,
        { pkceCodeVerifier: login.verifier, expectedState: login.state },
        tokenParameters(result),
      );
      expect(await as.introspect(tokens.access_token)).not.toBeNull();
      // RFC 8707: the same resource at /authorize and /token.
      expect(as.resourcesSeen.slice(-2)).toEqual([mcp.url, mcp.url]);
      expect(tokens.refresh_token).toBeTypeOf('string');

      const refreshed = await refreshTokenGrant(
        configuration,
        tokens.refresh_token as string,
        tokenParameters(result),
      );
      expect(refreshed.access_token).not.toBe(tokens.access_token);
      expect(await as.introspect(refreshed.access_token)).not.toBeNull();

      as.failRefresh = true;
      const refused = await refreshTokenGrant(
        configuration,
        refreshed.refresh_token ?? (tokens.refresh_token as string),
        tokenParameters(result),
      ).catch((e: unknown) => e);
      as.failRefresh = false;
      // invalid_grant (HTTP 400): a refusal, and no transport error inside.
      expect(isOAuthRefusal(refused)).toBe(true);
      expect(unwrapDiscoveryError(refused)).toBeUndefined();
    } finally {
      await http.close();
    }
  });

  it("openid-client's token request goes through the given HttpClient: its SSRF guard refuses loopback", async () => {
    const pipeline = createRecommendedPipeline({ presets: false });
    const guarded = createHttpClient(); // no allowAddressRanges: loopback is blocked
    try {
      const { configuration, result } = await discoverConfiguration(
        mcp.url,
        { clientId: 'pre' },
        { pipeline },
      );
      const login = await authorizeHeadless(configuration, result, REDIRECT);
      const strict = toOpenidClientConfiguration(result, { clientId: 'pre' }, { http: guarded });
      const error = await authorizationCodeGrant(
        strict,
        login.callback,
        { pkceCodeVerifier: login.verifier, expectedState: login.state },
        tokenParameters(result),
      ).catch((e: unknown) => e);
      // openid-client wraps it ("something went wrong"); the security error is its cause, not lost.
      expect(unwrapDiscoveryError(error)?.code).toBe(ErrorCodes.BLOCKED_ADDRESS);
      expect(isOAuthRefusal(error)).toBe(false);
      // The same code, through the client that may reach loopback, is accepted.
      const tokens = await authorizationCodeGrant(
        configuration,
        login.callback,
        { pkceCodeVerifier: login.verifier, expectedState: login.state },
        tokenParameters(result),
      );
      expect(tokens.access_token).toBeTypeOf('string');
    } finally {
      await guarded.close();
      await pipeline.close();
    }
  });

  it('a state mismatch in the callback is refused by openid-client', async () => {
    const pipeline = createRecommendedPipeline({ presets: false });
    try {
      const { configuration, result } = await discoverConfiguration(
        mcp.url,
        { clientId: 'pre' },
        { pipeline },
      );
      const login = await authorizeHeadless(configuration, result, REDIRECT, 'sent');
      const error = await authorizationCodeGrant(configuration, login.callback, {
        pkceCodeVerifier: login.verifier,
        expectedState: 'other',
      }).catch((e: unknown) => e as { code?: string; cause?: { message?: string } });
      expect(error).toMatchObject({ code: 'OAUTH_INVALID_RESPONSE' });
      expect(String((error as { cause?: { message?: unknown } }).cause?.message)).toMatch(/state/);
    } finally {
      await pipeline.close();
    }
  });

  it('a discovery failure surfaces as the DiscoveryError with its code', async () => {
    const error = await discoverConfiguration(
      'http://127.0.0.23:1/mcp',
      { clientId: 'pre' },
      { presets: false, legacyDefaults: false, deadlineMs: 5000 },
    ).catch((e: unknown) => e);
    expect(isDiscoveryError(error)).toBe(true);
    // Nothing listens there: the real cause, not a guess nor a plain "not found".
    if (isDiscoveryError(error)) expect(error.code).toBe(ErrorCodes.NETWORK_ERROR);
  });
});

describe('against oidc-provider', () => {
  let op: OidcProviderHandle;
  let mcp: McpServerHandle;
  beforeAll(async () => {
    op = await startOidcProvider({
      host: '127.0.0.24',
      clients: [
        {
          client_id: 'oc',
          token_endpoint_auth_method: 'none',
          redirect_uris: [REDIRECT],
          grant_types: ['authorization_code', 'refresh_token'],
        },
      ],
      resourceServers: (resource) => (resource === mcp.url ? { scope: 'mcp:tools' } : undefined),
    });
    mcp = await startMcpServer({
      host: '127.0.0.25',
      verifyToken: (token) => op.verifyAccessToken(token, mcp.url),
      resourceMetadata: { authorizationServers: [op.issuer], scopesSupported: ['mcp:tools'] },
    });
  });
  afterAll(async () => {
    await mcp.close();
    await op.close();
  });

  it('a full code + PKCE flow, driven headless, yields a JWT access token for the MCP resource', async () => {
    const { configuration, result } = await discoverConfiguration(
      mcp.url,
      { clientId: 'oc' },
      { presets: false },
    );
    expect(result.authorizationServer.issuer).toBe(op.issuer);
    const login = await authorizeHeadless(configuration, result, REDIRECT);
    expect(login.url.searchParams.get('code_challenge_method')).toBe('S256');
    // RFC 9207: oidc-provider sends iss, and openid-client checks it against the discovered issuer.
    expect(login.callback.searchParams.get('iss')).toBe(op.issuer);
    const tokens = await authorizationCodeGrant(
      configuration,
      login.callback,
      { pkceCodeVerifier: login.verifier, expectedState: login.state },
      tokenParameters(result),
    );
    const info = await op.verifyAccessToken(tokens.access_token, mcp.url);
    expect(info?.scopes).toContain('mcp:tools');
  });
});
