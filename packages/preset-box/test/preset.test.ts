import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { boxWorld } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { expect } from 'vitest';
import { box, boxPreset } from '../src/index.js';

const hosts = { 'https://mcp.box.com': 'mcp', 'https://api.box.com': 'as' };

testPreset({
  definition: boxPreset,
  create: (options) => box(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  cases: [
    {
      name: 'as reported (2026): no registration endpoint, trailing-slash issuer',
      shape: boxWorld(),
      hosts,
      expect: { hints: { preregisteredClientMessage: expect.stringContaining('developers/console') } },
      withoutPreset: 'found',
    },
    {
      name: 'provider fixed it: a registration endpoint appears',
      shape: boxWorld({ fixed: true }),
      hosts,
      fixed: true,
      withoutPreset: 'found',
      check: (result) => {
        expect(result.authorizationServer.metadata.registration_endpoint).toBeDefined();
        expect(result.hints.requiresPreregisteredClient).toBeUndefined();
      },
    },
  ],
});
