import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { keycloakWorld } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { expect } from 'vitest';
import { KEYCLOAK_PLACEHOLDER, keycloak, keycloakPreset } from '../src/index.js';

const hosts = { [KEYCLOAK_PLACEHOLDER]: 'as' };

testPreset({
  definition: keycloakPreset,
  create: (options) => keycloak(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  unrelatedResource: false,
  cases: [
    {
      name: 'before 26.4: the realm metadata only by OpenID Connect appending',
      shape: keycloakWorld(),
      hosts,
      withoutPreset: 'found',
      check: (result) => {
        expect(result.hints.notes?.some((n) => n.includes('preset:keycloak') && n.includes('26.4'))).toBe(
          true,
        );
      },
    },
    {
      name: 'since 26.4 (the spec followed): RFC 8414 path insertion',
      shape: keycloakWorld({ fixed: true }),
      hosts,
      fixed: true,
      withoutPreset: 'found',
    },
  ],
});
