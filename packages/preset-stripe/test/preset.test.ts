import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { stripeWorld } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { expect } from 'vitest';
import { stripe, stripePreset } from '../src/index.js';

const hosts = { 'https://mcp.stripe.com': 'mcp', 'https://access.stripe.com': 'access' };

testPreset({
  definition: stripePreset,
  create: (options) => stripe(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  cases: [
    {
      name: 'as reported (2026): root PRM, path issuer by insertion',
      shape: stripeWorld(),
      hosts,
      expect: {
        hints: { registrationFields: { client_name: 'MCP client', token_endpoint_auth_method: 'none' } },
      },
      withoutPreset: 'found',
      check: (result, world) => {
        expect(result.authorizationServer.metadataUrl).toBe(
          world.url('access', '/.well-known/oauth-authorization-server/mcp'),
        );
      },
    },
    {
      name: 'provider changed: the PRM names the origin without the trailing slash',
      shape: stripeWorld({ fixed: true }),
      hosts,
      fixed: true,
      withoutPreset: 'found',
    },
  ],
});
