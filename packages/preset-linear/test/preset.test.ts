import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { linearWorld } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { expect } from 'vitest';
import { linear, linearPreset } from '../src/index.js';

const hosts = { 'https://mcp.linear.app': 'mcp' };

testPreset({
  definition: linearPreset,
  create: (options) => linear(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  cases: [
    {
      name: 'as reported (2026): CIMD advertised, DCR available',
      shape: linearWorld(),
      hosts,
      expect: { hints: { preferredRegistration: 'dcr' } },
      withoutPreset: 'found',
      check: (result) => {
        expect(result.authorizationServer.metadata.client_id_metadata_document_supported).toBe(true);
        expect(result.authorizationServer.metadata.registration_endpoint).toBeDefined();
      },
    },
    {
      name: 'provider changed: CIMD no longer advertised',
      shape: linearWorld({ fixed: true }),
      hosts,
      fixed: true,
      withoutPreset: 'found',
    },
  ],
});
