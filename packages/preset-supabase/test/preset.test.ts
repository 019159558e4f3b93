import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { supabaseWorld } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { expect } from 'vitest';
import { supabase, supabasePreset } from '../src/index.js';

const hosts = { 'https://mcp.supabase.com': 'mcp', 'https://api.supabase.com': 'as' };

testPreset({
  definition: supabasePreset,
  create: (options) => supabase(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  cases: [
    {
      name: 'as reported (2026): PRM naming api.supabase.com',
      shape: supabaseWorld(),
      hosts,
      withoutPreset: 'found',
      check: (result) => {
        expect(result.hints.notes?.some((n) => n.includes('"authenticated"'))).toBe(true);
      },
    },
    {
      name: 'provider unchanged (its discovery follows the spec)',
      shape: supabaseWorld({ fixed: true }),
      hosts,
      fixed: true,
      withoutPreset: 'found',
    },
  ],
});
