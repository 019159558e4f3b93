import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { notionWorld } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { expect } from 'vitest';
import { notion, notionPreset } from '../src/index.js';

const hosts = { 'https://mcp.notion.com': 'mcp' };

testPreset({
  definition: notionPreset,
  create: (options) => notion(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  cases: [
    {
      name: 'as reported (2026): conformant discovery, the quirks are in the flow',
      shape: notionWorld(),
      hosts,
      expect: { hints: { registrationFields: { token_endpoint_auth_method: 'none' } } },
      withoutPreset: 'found',
      check: (result) => {
        expect(result.hints.notes?.some((n) => n.includes('rotates') && n.includes('observed 2026'))).toBe(
          true,
        );
      },
    },
    {
      name: 'provider moved on: the authorization server on another origin',
      shape: notionWorld({ fixed: true }),
      hosts,
      fixed: true,
      withoutPreset: 'found',
    },
  ],
});
