import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { cloudflareWorld } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { expect } from 'vitest';
import { cloudflare, cloudflarePreset } from '../src/index.js';

const hosts = { 'https://mcp.cloudflare.com': 'mcp' };

testPreset({
  definition: cloudflarePreset,
  create: (options) => cloudflare(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  cases: [
    {
      name: 'as reported (2026): path-aware PRM, iss advertised',
      shape: cloudflareWorld(),
      hosts,
      withoutPreset: 'found',
      check: (result) => {
        expect(result.hints.omitResourceParameter).toBeUndefined();
        expect(result.scopes).toEqual(['offline_access']);
        expect(result.authorizationServer.metadata.authorization_response_iss_parameter_supported).toBe(true);
      },
    },
    {
      name: 'provider unchanged (its discovery follows the spec): the preset adds nothing that could break it',
      shape: cloudflareWorld({ fixed: true }),
      hosts,
      fixed: true,
      withoutPreset: 'found',
    },
  ],
});
