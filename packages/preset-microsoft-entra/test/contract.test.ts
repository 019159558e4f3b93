import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { entraWorld } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { expect } from 'vitest';
import { entraPreset, microsoftEntra } from '../src/index.js';

const hosts = { 'https://login.microsoftonline.com': 'as' };

testPreset({
  definition: entraPreset,
  create: (options) => microsoftEntra(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  // Its issuer policy applies whatever the resource: never skipped.
  unrelatedResource: false,
  cases: [
    {
      name: 'as reported: OIDC appending only, PKCE not advertised, the resource parameter rejected',
      shape: entraWorld(),
      hosts,
      expect: {
        hints: {
          omitResourceParameter: true,
          pkceS256KnownSupported: true,
          preregisteredClientMessage: expect.stringContaining('App registrations'),
        },
      },
      withoutPreset: 'found',
      check: (result) => {
        expect(result.pkce.s256Usable).toBe(true);
        expect(result.hints.notes?.some((n) => n.includes('AADSTS9010010'))).toBe(true);
        // Only the appended OIDC URL was tried: the policy skips the RFC 8414 and inserted forms.
        const urls = result.trace.steps.flatMap((s) => s.attempts.map((a) => a.url));
        expect(urls.filter((u) => u.includes('/.well-known/oauth-authorization-server'))).toEqual([]);
      },
    },
    {
      name: 'provider fixed it: the metadata advertises S256',
      shape: entraWorld({ pkceAdvertised: true }),
      hosts,
      fixed: true,
      withoutPreset: 'found',
      check: (result) => expect(result.pkce.s256Advertised).toBe(true),
    },
  ],
});
