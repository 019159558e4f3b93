import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { cognitoWorld } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { expect } from 'vitest';
import { awsCognito, awsCognitoPreset } from '../src/index.js';

const hosts = { 'https://cognito-idp.us-east-1.amazonaws.com': 'as' };

testPreset({
  definition: awsCognitoPreset,
  create: (options) => awsCognito(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  unrelatedResource: false,
  cases: [
    {
      name: 'as reported (2026): OIDC appending only, PKCE not advertised',
      shape: cognitoWorld(),
      hosts,
      expect: { hints: { pkceS256KnownSupported: true } },
      withoutPreset: 'found',
      check: (result) => {
        expect(result.pkce.s256Advertised).toBe(false);
        expect(result.pkce.s256Usable).toBe(true);
      },
    },
    {
      name: 'provider fixed it: the metadata advertises S256',
      shape: cognitoWorld({ fixed: true }),
      hosts,
      fixed: true,
      withoutPreset: 'found',
      check: (result) => expect(result.pkce.s256Advertised).toBe(true),
    },
  ],
});
