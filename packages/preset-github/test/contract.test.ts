import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { githubEnterpriseWorld, githubWorld } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { describe, expect, it } from 'vitest';
import { github, githubPreset } from '../src/index.js';

const hosts = { 'https://api.githubcopilot.com': 'mcp', 'https://github.com': 'as' };
const enterpriseHosts = {
  'https://api.enterprise.githubcopilot.com': 'mcp',
  'https://api.githubcopilot.com': 'public',
  'https://github.com': 'as',
};
const preregistered = {
  requiresPreregisteredClient: true,
  preregisteredClientMessage: expect.stringContaining('github.com/settings/developers'),
};

testPreset({
  definition: githubPreset,
  create: (options) => github(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  cases: [
    {
      name: 'as reported (2025-11): path-aware PRM, path issuer by insertion, no DCR',
      shape: githubWorld(),
      hosts,
      fixed: true,
      expect: { hints: preregistered },
      withoutPreset: 'found',
    },
    {
      // One trailing slash is not significant in the RFC 9728 resource check: no relaxation needed.
      name: '2025-08: the PRM resource lacks the trailing slash',
      shape: githubWorld({ prmResourceWithoutSlash: true }),
      hosts,
      expect: { hints: preregistered },
      withoutPreset: 'found',
    },
    {
      // A JSON media type repeated is unambiguous: core reads the PRM (issue 9), with or without the preset.
      name: '2025-08: the PRM served as application/json, application/json',
      shape: githubWorld({ repeatedMediaType: true }),
      hosts,
      expect: { hints: preregistered },
      withoutPreset: 'found',
      check: (result) => {
        expect(result.resourceMetadata).not.toBeNull();
        const notes = result.trace.steps.flatMap((s) => s.notes);
        expect(notes.some((n) => n.includes('UNEXPECTED_CONTENT_TYPE'))).toBe(false);
      },
    },
    {
      name: 'Copilot Enterprise as reported (2026-08-08): PRM on api.githubcopilot.com names its resource',
      shape: githubEnterpriseWorld(),
      hosts: enterpriseHosts,
      expect: {
        relaxation: /^relaxation: RFC 9728 §3\.3 exception by preset:github .*observed 2026-08-08/,
        hints: preregistered,
      },
      withoutPreset: 'RESOURCE_MISMATCH',
    },
    {
      name: 'Copilot Enterprise fixed: its own PRM names its own resource',
      shape: githubEnterpriseWorld({ crossOrigin: false }),
      hosts: enterpriseHosts,
      fixed: true,
      withoutPreset: 'found',
    },
  ],
});

describe('enterpriseHosts: per-organisation Copilot API hosts', () => {
  it('adds an entry per host, citing the thin per-host fact', async () => {
    const preset = github({ enterpriseHosts: ['https://copilot-api.acme.ghe.com'] });
    const entry = preset.definition.resources?.at(-1);
    expect(entry?.match).toEqual([{ url: 'https://copilot-api.acme.ghe.com/mcp/readonly' }]);
    expect(entry?.resourceIdentifierExceptions?.[0]?.resource).toBe(
      'https://api.githubcopilot.com/mcp/readonly',
    );
    expect(preset.definition.facts.find((f) => f.id === 'enterprise-per-host')?.evidence).toBe('thin');
  });

  it.each([['http://copilot-api.acme.ghe.com'], ['https://copilot-api.acme.ghe.com/x'], ['nonsense']])(
    'refuses %s with INVALID_CONFIG naming the key',
    (host) => {
      expect(() => github({ enterpriseHosts: [host] })).toThrow(
        /enterpriseHosts\[0\]: expected an https origin/,
      );
    },
  );
});
