import { oidc } from '@oauth-discovery/oidc';
import { rfc8414 } from '@oauth-discovery/rfc8414';
import { rfc9728 } from '@oauth-discovery/rfc9728';
import { atlassianAuthV2World, atlassianV1World } from '@oauth-discovery/testkit';
import { testPreset } from '@oauth-discovery/testkit/preset-contract';
import { wwwAuthenticate } from '@oauth-discovery/www-authenticate';
import { expect } from 'vitest';
import { atlassian, atlassianPreset } from '../src/index.js';

const v1Hosts = { 'https://mcp.atlassian.com': 'mcp', 'https://cf.mcp.atlassian.com': 'cf' };
const tenantHosts = { 'https://mcp.atlassian.com': 'mcp', 'https://auth.atlassian.com': 'auth' };
const aliasCites =
  (date: string) => (result: { trace: { steps: readonly { notes: readonly string[] }[] } }) => {
    const notes = result.trace.steps.flatMap((s) => s.notes);
    expect(
      notes.some((n) => n.includes('pinned by preset:atlassian (') && n.includes(`observed ${date}`)),
    ).toBe(true);
  };

testPreset({
  definition: atlassianPreset,
  create: (options) => atlassian(options),
  strategies: () => [wwwAuthenticate(), rfc9728(), rfc8414(), oidc()],
  cases: [
    {
      // Without the preset the MCP 2025-03-26 origin fallback adopts whatever issuer the document names.
      name: 'v1 as reported (2026-07-27): no PRM, metadata at the origin names https://cf.mcp.atlassian.com',
      shape: atlassianV1World(),
      hosts: v1Hosts,
      expect: { issuerCheck: 'alias' },
      withoutPreset: 'found',
      check: aliasCites('2026-07-27'),
    },
    {
      name: 'v1 fixed (2026-10-01 probe): the metadata names https://mcp.atlassian.com',
      shape: atlassianV1World({ sameOriginIssuer: true }),
      hosts: v1Hosts,
      fixed: true,
      withoutPreset: 'found',
    },
    {
      name: 'authv2 as reported (July 2026): the tenant metadata drops the tenant path',
      shape: atlassianAuthV2World({ tenantId: 'tenant-1', issuerDropsPath: true }),
      hosts: tenantHosts,
      expect: { issuerCheck: 'alias' },
      withoutPreset: 'ISSUER_MISMATCH',
      check: aliasCites('2026-07-27'),
    },
    {
      name: 'authv2 fixed (October 2026): the tenant metadata keeps its path',
      shape: atlassianAuthV2World({ tenantId: 'tenant-1' }),
      hosts: tenantHosts,
      fixed: true,
      withoutPreset: 'found',
    },
    {
      name: 'v2 per tenant (GA 2026-09) with the path-dropping issuer',
      shape: atlassianAuthV2World({ resourcePath: '/v2/mcp', tenantId: 'tenant-2', issuerDropsPath: true }),
      hosts: tenantHosts,
      expect: { issuerCheck: 'alias' },
      withoutPreset: 'ISSUER_MISMATCH',
    },
    {
      name: 'v2 per tenant following RFC 8414 §3.3',
      shape: atlassianAuthV2World({ resourcePath: '/v2/mcp', tenantId: 'tenant-2' }),
      hosts: tenantHosts,
      fixed: true,
      withoutPreset: 'found',
    },
  ],
});
