import type { ProviderHints } from '@oauth-discovery/core';
import { ErrorCodes } from '@oauth-discovery/core';
import { createHttpClient } from '@oauth-discovery/core/http';
import { afterAll, describe, expect, it } from 'vitest';
import { codeOf, fakeResult } from '../../test/helpers.js';
import { FlowErrorCodes } from '../error-codes.js';
import { buildAuthorizationUrl } from './authorization-request.js';
import { processAuthorizationResponse } from './authorization-response.js';
import { basicCredentials, clientAuthFor, selectTokenEndpointAuthMethod } from './client-auth.js';
import { engineConfiguration } from './configuration.js';
import { assertPkceUsable, createPkcePair, createState, s256Challenge } from './pkce.js';
import { tokenParameters } from './token-request.js';

const http = createHttpClient();
afterAll(() => http.close());

/** The authorization URL of a result whose endpoint is `authorizationEndpoint`, for client `c1`. */
function authorizationUrl(options: {
  authorizationEndpoint: string;
  scope?: string;
  resource?: string;
  hints?: ProviderHints;
}): URL {
  const result = fakeResult({
    resource: options.resource ?? 'https://r.example/mcp',
    issuer: 'https://as.example',
    metadata: { authorization_endpoint: options.authorizationEndpoint },
    hints: options.hints ?? (options.resource === undefined ? { omitResourceParameter: true } : {}),
  });
  return buildAuthorizationUrl(engineConfiguration(result, { clientId: 'c1' }, { http }), result, {
    redirectUri: 'http://127.0.0.1:5000/callback',
    state: 'st',
    codeChallenge: 'ch',
    scope: options.scope,
  });
}

describe('PKCE', () => {
  it('computes the RFC 7636 Appendix B S256 vector', () => {
    expect(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('creates fresh 43-character verifiers with matching challenges, and fresh states', () => {
    const a = createPkcePair();
    const b = createPkcePair();
    expect(a.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
    expect(a.codeChallenge).toBe(s256Challenge(a.codeVerifier));
    expect(createState()).not.toBe(createState());
  });

  it('refuses an authorization server without S256 unless a hint says it works', () => {
    const base = { resource: 'https://r.example/mcp', issuer: 'https://as.example' };
    expect(
      codeOf(() =>
        assertPkceUsable(fakeResult({ ...base, metadata: { code_challenge_methods_supported: undefined } })),
      ),
    ).toBe(ErrorCodes.PKCE_NOT_SUPPORTED);
    expect(
      codeOf(() =>
        assertPkceUsable(fakeResult({ ...base, metadata: { code_challenge_methods_supported: ['plain'] } })),
      ),
    ).toBe(ErrorCodes.PKCE_NOT_SUPPORTED);
    expect(
      codeOf(() =>
        assertPkceUsable(
          fakeResult({
            ...base,
            metadata: { code_challenge_methods_supported: undefined },
            hints: { pkceS256KnownSupported: true },
          }),
        ),
      ),
    ).toBeUndefined();
    expect(codeOf(() => assertPkceUsable(fakeResult(base)))).toBeUndefined();
  });
});

describe('authorization request and response', () => {
  it('builds the URL with PKCE, state, scope and resource, keeping the endpoint query', () => {
    const url = authorizationUrl({
      authorizationEndpoint: 'https://as.example/authorize?tenant=t1',
      scope: 'read write',
      resource: 'https://r.example/mcp',
    });
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenant: 't1',
      response_type: 'code',
      client_id: 'c1',
      redirect_uri: 'http://127.0.0.1:5000/callback',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
      scope: 'read write',
      resource: 'https://r.example/mcp',
    });
  });

  it('omits scope and resource when not given', () => {
    const url = authorizationUrl({ authorizationEndpoint: 'https://as.example/authorize' });
    expect(url.searchParams.has('scope')).toBe(false);
    expect(url.searchParams.has('resource')).toBe(false);
  });

  it('refuses to build a URL for a server without PKCE S256', () => {
    const result = fakeResult({
      resource: 'https://r.example/mcp',
      issuer: 'https://as.example',
      metadata: { code_challenge_methods_supported: ['plain'] },
    });
    const configuration = engineConfiguration(result, { clientId: 'c1' }, { http });
    expect(
      codeOf(() =>
        buildAuthorizationUrl(configuration, result, {
          redirectUri: 'http://127.0.0.1:5000/callback',
          state: 'st',
          codeChallenge: 'ch',
        }),
      ),
    ).toBe(ErrorCodes.PKCE_NOT_SUPPORTED);
  });

  it("adds a provider's extra parameters but never replaces one the flow computes", () => {
    const url = authorizationUrl({
      authorizationEndpoint: 'https://as.example/authorize?audience=kept',
      hints: {
        omitResourceParameter: true,
        extraAuthorizationParameters: {
          audience: 'replaced?',
          organization: 'org_1',
          client_id: 'evil',
          redirect_uri: 'https://evil',
        },
      },
    });
    expect(url.searchParams.get('audience')).toBe('kept');
    expect(url.searchParams.get('organization')).toBe('org_1');
    expect(url.searchParams.getAll('client_id')).toEqual(['c1']);
    expect(url.searchParams.getAll('redirect_uri')).toEqual(['http://127.0.0.1:5000/callback']);
  });

  const check = {
    expectedState: 'st',
    issuer: 'https://as.example',
    issRequired: false,
    url: 'http://127.0.0.1/cb',
  };
  const parse = (query: string, overrides: Partial<typeof check> = {}) =>
    processAuthorizationResponse(new URLSearchParams(query), { ...check, ...overrides });

  it('returns the code (and iss) of a valid response', () => {
    expect(parse('code=abc&state=st')).toEqual({ code: 'abc' });
    expect(parse('code=abc&state=st&iss=https%3A%2F%2Fas.example', { issRequired: true })).toEqual({
      code: 'abc',
      iss: 'https://as.example',
    });
  });

  it.each([
    ['a wrong state', 'code=abc&state=other', {}, FlowErrorCodes.STATE_MISMATCH],
    ['no state', 'code=abc', {}, FlowErrorCodes.STATE_MISMATCH],
    [
      'an error response',
      'error=access_denied&error_description=no&state=st',
      {},
      FlowErrorCodes.AUTHORIZATION_FAILED,
    ],
    ['no code', 'state=st', {}, FlowErrorCodes.AUTHORIZATION_FAILED],
    [
      'an iss of another server',
      'code=abc&state=st&iss=https%3A%2F%2Fevil.example',
      {},
      ErrorCodes.ISSUER_MISMATCH,
    ],
    ['no iss although advertised', 'code=abc&state=st', { issRequired: true }, ErrorCodes.ISSUER_MISMATCH],
    [
      'an error with a foreign iss',
      'error=x&state=st&iss=https%3A%2F%2Fevil.example',
      {},
      ErrorCodes.ISSUER_MISMATCH,
    ],
    [
      'an error without iss although advertised',
      'error=x&state=st',
      { issRequired: true },
      ErrorCodes.ISSUER_MISMATCH,
    ],
    [
      'an iss differing only by a trailing slash (plain string comparison)',
      'code=abc&state=st&iss=https%3A%2F%2Fas.example%2F',
      {},
      ErrorCodes.ISSUER_MISMATCH,
    ],
    [
      'an iss differing only in case',
      'code=abc&state=st&iss=https%3A%2F%2FAS.example',
      {},
      ErrorCodes.ISSUER_MISMATCH,
    ],
  ])('rejects %s', (_name, query, overrides, code) => {
    expect(codeOf(() => parse(query, overrides))).toBe(code);
  });

  it("never shows an error response's error_description when its iss fails the check", () => {
    for (const [query, issRequired] of [
      ['error=x&error_description=click%20evil.example&state=st&iss=https%3A%2F%2Fevil.example', false],
      ['error=x&error_description=click%20evil.example&state=st', true],
    ] as const) {
      const error = (() => {
        try {
          parse(query, { issRequired });
        } catch (caught) {
          return caught as Error;
        }
        return undefined;
      })();
      expect(error?.message).toBeDefined();
      expect(error?.message).not.toContain('click');
      expect(JSON.stringify(error)).not.toContain('click');
    }
  });
});

describe('token endpoint authentication', () => {
  it.each([
    ['public client', {}, undefined, 'none'],
    ['public client, server without none', {}, ['client_secret_basic'], 'none'],
    ['secret, server default (basic)', { clientSecret: 's' }, undefined, 'client_secret_basic'],
    ['secret, server only post', { clientSecret: 's' }, ['client_secret_post'], 'client_secret_post'],
    [
      'registered post, server supports it',
      { clientSecret: 's', tokenEndpointAuthMethod: 'client_secret_post' },
      ['client_secret_basic', 'client_secret_post'],
      'client_secret_post',
    ],
    ['registered none', { tokenEndpointAuthMethod: 'none' }, ['none', 'client_secret_basic'], 'none'],
    [
      'registered method the server does not list',
      { clientSecret: 's', tokenEndpointAuthMethod: 'client_secret_post' },
      ['client_secret_basic'],
      'client_secret_basic',
    ],
  ] as const)('%s', (_name, client, supported, expected) => {
    expect(selectTokenEndpointAuthMethod(client, supported)).toBe(expected);
  });

  /** What a client authentication does to a token request. */
  function authenticate(client: Parameters<typeof clientAuthFor>[0], supported?: string[]) {
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'r' });
    const headers = new Headers();
    const as = { issuer: 'https://as.example' };
    void clientAuthFor(client, supported)(as, { client_id: client.clientId }, body, headers);
    return { body, headers };
  }

  it('form-encodes Basic credentials (RFC 6749 §2.3.1); the token request carries the resource', () => {
    const { headers, body } = authenticate({ clientId: 'id:1', clientSecret: 's p&' });
    expect(headers.get('authorization')).toBe(basicCredentials('id:1', 's p&'));
    expect(Buffer.from((headers.get('authorization') ?? '').replace('Basic ', ''), 'base64').toString()).toBe(
      'id%3A1:s+p%26',
    );
    expect(body.has('client_secret')).toBe(false);
    const result = fakeResult({ resource: 'https://r.example/mcp', issuer: 'https://as.example' });
    expect(tokenParameters(result)).toEqual({ resource: 'https://r.example/mcp' });
  });

  it('puts the client in the body for client_secret_post and none', () => {
    const post = authenticate(
      { clientId: 'c', clientSecret: 's', tokenEndpointAuthMethod: 'client_secret_post' },
      ['client_secret_post'],
    );
    expect(post.body.get('client_secret')).toBe('s');
    expect(post.body.get('client_id')).toBe('c');
    expect(post.headers.get('authorization')).toBeNull();
    const none = authenticate({ clientId: 'c' });
    expect(none.body.get('client_id')).toBe('c');
    expect(none.body.has('client_secret')).toBe(false);
    const omitted = fakeResult({
      resource: 'https://r.example/mcp',
      issuer: 'https://as.example',
      hints: { omitResourceParameter: true },
    });
    expect(tokenParameters(omitted)).toEqual({});
  });
});
