import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { hubspotWorld } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { expect } from 'vitest';
import { hubspot, hubspotPreset } from '../src/index.js';

const hosts = { 'https://mcp.hubspot.com': 'mcp' };

testPreset({
  definition: hubspotPreset,
  create: (options) => hubspot(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  cases: [
    {
      name: 'as reported (2026-10): root PRM names the bare origin',
      shape: hubspotWorld(),
      hosts,
      expect: {
        relaxation:
          /^relaxation: RFC 9728 §3\.3 exception by preset:hubspot .*observed 2026-10.*thin evidence/,
        hints: { preregisteredClientMessage: expect.stringContaining('developers.hubspot.com') },
      },
      withoutPreset: 'RESOURCE_MISMATCH',
    },
    {
      name: 'provider fixed it: the PRM names the resource, and DCR appears',
      shape: hubspotWorld({ prmNamesOrigin: false, registration: true }),
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
