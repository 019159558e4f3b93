import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { asanaWorld } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { expect } from 'vitest';
import { asana, asanaPreset } from '../src/index.js';

const hosts = { 'https://mcp.asana.com': 'mcp', 'https://app.asana.com': 'as' };

testPreset({
  definition: asanaPreset,
  create: (options) => asana(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  cases: [
    {
      name: 'as reported (2026): no registration endpoint',
      shape: asanaWorld(),
      hosts,
      expect: {
        hints: {
          preferredRegistration: 'preregistered',
          preregisteredClientMessage: expect.stringContaining('app.asana.com/0/my-apps'),
        },
      },
      withoutPreset: 'found',
    },
    {
      name: 'provider fixed it: a registration endpoint appears, nothing forbids using it',
      shape: asanaWorld({ fixed: true }),
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
