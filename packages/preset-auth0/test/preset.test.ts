import { ErrorCodes } from '@oauth-discovery/core';
import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { auth0World } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { describe, expect, it } from 'vitest';
import { AUTH0_PLACEHOLDER, auth0, auth0Preset } from '../src/index.js';

const AUDIENCE = 'https://api.acme.example';
const hosts = { [AUTH0_PLACEHOLDER]: 'as' };

testPreset({
  definition: auth0Preset,
  create: (options) => auth0({ ...options, audience: AUDIENCE }),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  unrelatedResource: false,
  cases: [
    {
      name: 'as reported (2026): a tenant issuer with a trailing slash, OIDC discovery',
      shape: auth0World(),
      hosts,
      expect: { hints: { extraAuthorizationParameters: { audience: AUDIENCE } } },
      withoutPreset: 'found',
    },
    {
      name: 'provider fixed it: identical discovery, the audience hint stays harmless',
      shape: auth0World({ fixed: true }),
      hosts,
      fixed: true,
      withoutPreset: 'found',
    },
  ],
});

describe('auth0 options', () => {
  it('domain replaces the placeholder', () => {
    const preset = auth0({ domain: 'https://acme.us.auth0.com', audience: AUDIENCE });
    expect(preset.definition.hosts).toEqual(['https://acme.us.auth0.com']);
    expect(preset.definition.issuerPolicies?.[0]?.match).toEqual({ prefix: 'https://acme.us.auth0.com' });
    expect(preset.definition.issuerPolicies?.[0]?.hints).toEqual({
      extraAuthorizationParameters: { audience: AUDIENCE },
    });
  });

  it.each([
    ['an empty audience', { audience: ' ' }, /audience: expected the API identifier/],
    ['a domain with a path', { domain: 'https://acme.us.auth0.com/x' }, /expected an origin only/],
  ])('rejects %s with INVALID_CONFIG', (_label, options, message) => {
    expect(() => auth0(options)).toThrow(message);
    try {
      auth0(options);
    } catch (error) {
      expect(error).toMatchObject({ code: ErrorCodes.INVALID_CONFIG });
    }
  });
});
