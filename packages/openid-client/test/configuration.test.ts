import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { ClientSecretPost } from 'openid-client';
import { describe, expect, it } from 'vitest';
import {
  authorizationParameters,
  LOOPBACK_HTTP_RELAXATION,
  resourceParameter,
  tokenParameters,
  toOpenidClientConfiguration,
} from '../src/index.js';
import { resultFor } from './fixtures.js';

const https = {
  issuer: 'https://as.example.com',
  authorization_endpoint: 'https://as.example.com/authorize',
  token_endpoint: 'https://as.example.com/token',
  code_challenge_methods_supported: ['S256'],
};

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof DiscoveryError) return error.code;
    throw error;
  }
  return undefined;
}

describe('toOpenidClientConfiguration', () => {
  it('uses the discovered metadata and the client as given, no relaxation for https', () => {
    const relaxations: string[] = [];
    const config = toOpenidClientConfiguration(
      resultFor(https),
      { clientId: 'c1' },
      {
        onRelaxation: (r) => relaxations.push(r),
      },
    );
    expect(config.serverMetadata().issuer).toBe('https://as.example.com');
    expect(config.serverMetadata().token_endpoint).toBe('https://as.example.com/token');
    expect(config.clientMetadata().client_id).toBe('c1');
    expect(config.serverMetadata().supportsPKCE()).toBe(true);
    expect(relaxations).toEqual([]);
  });

  it('allows plain http only for loopback endpoints, and names the relaxation', () => {
    const relaxations: string[] = [];
    const loopback = {
      issuer: 'http://127.0.0.5:4000',
      authorization_endpoint: 'http://127.0.0.5:4000/authorize',
      token_endpoint: 'http://localhost:4000/token',
    };
    toOpenidClientConfiguration(
      resultFor(loopback),
      { clientId: 'c' },
      { onRelaxation: (r) => relaxations.push(r) },
    );
    expect(relaxations).toEqual([LOOPBACK_HTTP_RELAXATION]);
  });

  it('refuses a plain http endpoint on a public host with INSECURE_URL', () => {
    const mixed = { ...https, token_endpoint: 'http://as.example.com/token' };
    expect(codeOf(() => toOpenidClientConfiguration(resultFor(mixed), { clientId: 'c' }))).toBe(
      ErrorCodes.INSECURE_URL,
    );
  });

  it('refuses an endpoint that is not an absolute URL with INVALID_URL', () => {
    const broken = { ...https, token_endpoint: '/token' };
    expect(codeOf(() => toOpenidClientConfiguration(resultFor(broken), { clientId: 'c' }))).toBe(
      ErrorCodes.INVALID_URL,
    );
  });

  it('refuses loopback http too when allowInsecureLoopback is false', () => {
    const loopback = { ...https, issuer: 'http://127.0.0.1:1', token_endpoint: 'http://127.0.0.1:1/token' };
    expect(
      codeOf(() =>
        toOpenidClientConfiguration(resultFor(loopback), { clientId: 'c' }, { allowInsecureLoopback: false }),
      ),
    ).toBe(ErrorCodes.INSECURE_URL);
  });

  it('refuses an empty client id and secret-based auth without a secret with INVALID_CONFIG', () => {
    expect(codeOf(() => toOpenidClientConfiguration(resultFor(https), { clientId: '' }))).toBe(
      ErrorCodes.INVALID_CONFIG,
    );
    expect(
      codeOf(() =>
        toOpenidClientConfiguration(resultFor(https), { clientId: 'c', clientAuth: 'client_secret_post' }),
      ),
    ).toBe(ErrorCodes.INVALID_CONFIG);
  });

  it('takes a client secret and a ClientAuth function', () => {
    const config = toOpenidClientConfiguration(resultFor(https), {
      clientId: 'c',
      clientSecret: 's3cret',
      clientAuth: ClientSecretPost('s3cret'),
    });
    expect(config.clientMetadata().client_secret).toBe('s3cret');
  });

  it('adds S256 to the server metadata when a hint says PKCE is known supported (Entra)', () => {
    const { code_challenge_methods_supported: _omitted, ...silent } = https;
    const config = toOpenidClientConfiguration(
      resultFor(silent, { hints: { pkceS256KnownSupported: true }, s256Usable: true }),
      { clientId: 'c' },
    );
    expect(config.serverMetadata().supportsPKCE()).toBe(true);
    const plain = toOpenidClientConfiguration(resultFor(silent), { clientId: 'c' });
    expect(plain.serverMetadata().supportsPKCE()).toBe(false);
  });
});

describe('request parameters', () => {
  it('sends the PRM resource in the authorization and token requests, with scope and S256', () => {
    const result = resultFor(https, { prmResource: 'https://mcp.example.com/mcp/' });
    const params = authorizationParameters(result, {
      redirectUri: 'http://127.0.0.1:1/cb',
      codeChallenge: 'abc',
      state: 'st',
    });
    expect(params).toEqual({
      redirect_uri: 'http://127.0.0.1:1/cb',
      response_type: 'code',
      code_challenge: 'abc',
      code_challenge_method: 'S256',
      state: 'st',
      scope: 'mcp:tools',
      resource: 'https://mcp.example.com/mcp/',
    });
    expect(tokenParameters(result)).toEqual({ resource: 'https://mcp.example.com/mcp/' });
  });

  it("adds a provider's extra parameters (Auth0's audience) but never one it computes", () => {
    const result = resultFor(https, {
      hints: {
        extraAuthorizationParameters: { audience: 'https://api.example', state: 'forged', resource: 'x' },
      },
    });
    const params = authorizationParameters(result, {
      redirectUri: 'http://127.0.0.1:1/cb',
      codeChallenge: 'abc',
      state: 'st',
    });
    expect(params).toMatchObject({
      audience: 'https://api.example',
      state: 'st',
      resource: 'https://mcp.example.com/mcp',
    });
  });

  it('omits resource when a hint says the provider rejects it', () => {
    const result = resultFor(https, { hints: { omitResourceParameter: true } });
    expect(resourceParameter(result)).toBeUndefined();
    expect(tokenParameters(result)).toEqual({});
    expect(
      authorizationParameters(result, { redirectUri: 'http://127.0.0.1:1/cb', codeChallenge: 'x' }),
    ).not.toHaveProperty('resource');
  });

  it('refuses the code flow without PKCE S256 with PKCE_NOT_SUPPORTED', () => {
    const result = resultFor({ ...https, code_challenge_methods_supported: ['plain'] });
    expect(
      codeOf(() =>
        authorizationParameters(result, { redirectUri: 'http://127.0.0.1:1/cb', codeChallenge: 'x' }),
      ),
    ).toBe(ErrorCodes.PKCE_NOT_SUPPORTED);
  });
});
