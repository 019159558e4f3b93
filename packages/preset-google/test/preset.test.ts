import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { googleWorld } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { expect } from 'vitest';
import { google, googlePreset } from '../src/index.js';

const hosts = { 'https://accounts.google.com': 'as' };

testPreset({
  definition: googlePreset,
  create: (options) => google(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  unrelatedResource: false,
  cases: [
    {
      name: 'as reported (2026-01): trailing-slash issuer in the PRM, OIDC only',
      shape: googleWorld(),
      hosts,
      expect: { hints: { preregisteredClientMessage: expect.stringContaining('Google Cloud console') } },
      withoutPreset: 'found',
      check: (result) => {
        const urls = result.trace.steps.flatMap((s) => s.attempts.map((a) => a.url));
        expect(urls.filter((u) => u.includes('oauth-authorization-server'))).toEqual([]);
      },
    },
    {
      name: 'provider fixed it: RFC 8414 metadata served too',
      shape: googleWorld({ fixed: true }),
      hosts,
      fixed: true,
      withoutPreset: 'found',
    },
  ],
});
