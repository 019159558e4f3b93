import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { slackWorld } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { expect } from 'vitest';
import { slack, slackPreset } from '../src/index.js';

const hosts = { 'https://mcp.slack.com': 'mcp', 'https://slack.com': 'slack' };

testPreset({
  definition: slackPreset,
  create: (options) => slack(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  cases: [
    {
      name: 'as reported (2026-03): root PRM names the origin, issuer https://slack.com',
      shape: slackWorld(),
      hosts,
      expect: {
        issuerCheck: 'alias',
        relaxation: /^relaxation: RFC 9728 §3\.3 exception by preset:slack .*observed 2026-03/,
        hints: { preregisteredClientMessage: expect.stringContaining('https://api.slack.com/apps') },
      },
      withoutPreset: 'RESOURCE_MISMATCH',
      check: (result) => {
        const notes = result.trace.steps.flatMap((s) => s.notes);
        expect(notes.some((n) => /alias .*pinned by preset:slack \(.*observed 2026-03/.test(n))).toBe(true);
      },
    },
    {
      name: '2026-08: the issuer is https://mcp.slack.com, the root PRM still names the origin',
      shape: slackWorld({ issuer: 'mcp' }),
      hosts,
      expect: { relaxation: /^relaxation: .*preset:slack/ },
      withoutPreset: 'RESOURCE_MISMATCH',
    },
    {
      name: 'provider fixed it: the PRM names the resource, the issuer is its own',
      shape: slackWorld({ issuer: 'mcp', prmNamesOrigin: false }),
      hosts,
      fixed: true,
      withoutPreset: 'found',
    },
    {
      name: 'the PRM fixed but the metadata still naming https://slack.com: the alias alone',
      shape: slackWorld({ prmNamesOrigin: false }),
      hosts,
      expect: { issuerCheck: 'alias' },
      withoutPreset: 'ISSUER_MISMATCH',
    },
  ],
});
