import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { fakeResult } from '../../test/helpers.js';
import { FlowErrorCodes } from '../error-codes.js';
import { resourceIndicator, toSdkDiscoveryState } from '../sdk-state.js';
import { buildAuthorizationUrl, processAuthorizationResponse } from './authorization.js';
import { assertPkceUsable, createPkcePair, createState, s256Challenge } from './pkce.js';
import { buildTokenRequest, selectTokenEndpointAuthMethod } from './token.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isDiscoveryError(error) ? error.code : `not a DiscoveryError: ${String(error)}`;
  }
  return undefined;
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
    const url = buildAuthorizationUrl({
      authorizationEndpoint: 'https://as.example/authorize?tenant=t1',
      clientId: 'c1',
      redirectUri: 'http://127.0.0.1:5000/callback',
      state: 'st',
      codeChallenge: 'ch',
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
    const url = buildAuthorizationUrl({
      authorizationEndpoint: 'https://as.example/authorize',
      clientId: 'c1',
      redirectUri: 'http://127.0.0.1:5000/callback',
      state: 'st',
      codeChallenge: 'ch',
    });
    expect(url.searchParams.has('scope')).toBe(false);
    expect(url.searchParams.has('resource')).toBe(false);
  });

  it("adds a provider's extra parameters but never replaces one the flow computes", () => {
    const url = buildAuthorizationUrl({
      authorizationEndpoint: 'https://as.example/authorize?audience=kept',
      clientId: 'c1',
      redirectUri: 'http://127.0.0.1:5000/callback',
      state: 'st',
      codeChallenge: 'ch',
      extraParameters: {
        audience: 'replaced?',
        organization: 'org_1',
        client_id: 'evil',
        redirect_uri: 'https://evil',
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

  it('form-encodes Basic credentials (RFC 6749 §2.3.1) and adds the resource', () => {
    const request = buildTokenRequest({
      tokenEndpoint: 'https://as.example/token',
      grant: { grant_type: 'authorization_code', code: 'c' },
      client: { clientId: 'id:1', clientSecret: 's p&' },
      method: 'client_secret_basic',
      resource: 'https://r.example/mcp',
    });
    expect(
      Buffer.from((request.headers.authorization ?? '').replace('Basic ', ''), 'base64').toString(),
    ).toBe('id%3A1:s+p%26');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'c',
      resource: 'https://r.example/mcp',
    });
  });

  it('puts the client in the body for client_secret_post and none', () => {
    const post = buildTokenRequest({
      tokenEndpoint: 'https://as.example/token',
      grant: { grant_type: 'refresh_token', refresh_token: 'r' },
      client: { clientId: 'c', clientSecret: 's' },
      method: 'client_secret_post',
    });
    expect(new URLSearchParams(post.body).get('client_secret')).toBe('s');
    expect(post.headers.authorization).toBeUndefined();
    const none = buildTokenRequest({
      tokenEndpoint: 'https://as.example/token',
      grant: { grant_type: 'refresh_token', refresh_token: 'r' },
      client: { clientId: 'c', clientSecret: 's' },
      method: 'none',
    });
    expect(new URLSearchParams(none.body).get('client_id')).toBe('c');
    expect(new URLSearchParams(none.body).has('client_secret')).toBe(false);
    expect(new URLSearchParams(none.body).has('resource')).toBe(false);
  });
});

describe('SDK discovery state', () => {
  const base = { resource: 'https://r.example/v1/mcp', issuer: 'https://as.example' };

  it('passes the PRM through when there is one', () => {
    const state = toSdkDiscoveryState(
      fakeResult({
        ...base,
        prm: {
          url: 'https://r.example/.well-known/oauth-protected-resource/v1/mcp',
          resource: base.resource,
        },
      }),
    );
    expect(state.authorizationServerUrl).toBe(base.issuer);
    expect(state.resourceMetadataUrl).toBe('https://r.example/.well-known/oauth-protected-resource/v1/mcp');
    expect(state.resourceMetadata?.resource).toBe(base.resource);
    expect(state.authorizationServerMetadata?.token_endpoint).toBe('https://as.example/token');
  });

  it('synthesises a minimal PRM when there is none, so the SDK does not probe for one', () => {
    const state = toSdkDiscoveryState(
      fakeResult({ ...base, scopes: ['read'], metadata: { response_types_supported: undefined } }),
    );
    expect(state.resourceMetadata).toEqual({
      resource: base.resource,
      authorization_servers: [base.issuer],
      scopes_supported: ['read'],
    });
    expect(state.resourceMetadataUrl).toBeUndefined();
    expect(state.authorizationServerMetadata?.response_types_supported).toEqual(['code']);
  });

  it('rejects metadata without a token endpoint', () => {
    expect(
      codeOf(() => toSdkDiscoveryState(fakeResult({ ...base, metadata: { token_endpoint: undefined } }))),
    ).toBe(ErrorCodes.INVALID_METADATA);
  });

  it('chooses the resource indicator: PRM resource, else the resource, else none when hinted', () => {
    expect(
      resourceIndicator(fakeResult({ ...base, prm: { url: 'x', resource: 'https://r.example/v1/mcp/' } })),
    ).toBe('https://r.example/v1/mcp/');
    expect(resourceIndicator(fakeResult(base))).toBe(base.resource);
    // A bare origin without PRM: the canonical URI without the trailing slash (MCP 2026-07-28).
    expect(resourceIndicator(fakeResult({ ...base, resource: 'https://r.example/' }))).toBe(
      'https://r.example',
    );
    // What the PRM publishes is sent exactly, trailing slash or not (RFC 9728 §3.3).
    expect(
      resourceIndicator(
        fakeResult({
          ...base,
          resource: 'https://r.example/',
          prm: { url: 'x', resource: 'https://r.example/' },
        }),
      ),
    ).toBe('https://r.example/');
    expect(
      resourceIndicator(fakeResult({ ...base, hints: { omitResourceParameter: true } })),
    ).toBeUndefined();
  });
});
