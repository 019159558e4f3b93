import type { PresetDefinition, PresetFact } from '@oauth-discovery/core';

const PROVIDERS = 'oauth-discovery design notes (PROVIDERS.md, GitHub)';

/**
 * What has been observed of GitHub's hosted MCP, each with its date and source. Providers change:
 * when a fact stops holding, add the new one with its date rather than editing the old one.
 */
export const githubFacts: readonly PresetFact[] = [
  {
    id: 'prm-path-aware',
    statement:
      'Protected resource metadata is served only at the path-aware URL https://api.githubcopilot.com/.well-known/oauth-protected-resource/mcp/ (and named in the 401), not at the root',
    observed: '2025-07-08',
    source: 'https://github.com/github/github-mcp-server/issues/647',
  },
  {
    id: 'trailing-slash-resource',
    statement:
      'The MCP endpoint is https://api.githubcopilot.com/mcp/ with a trailing slash; the PRM resource briefly lacked the slash and broke strict clients',
    observed: '2025-08-01',
    source: 'https://github.com/microsoft/vscode/issues/259251',
  },
  {
    id: 'path-issuer',
    statement:
      'The authorization server is the path issuer https://github.com/login/oauth; its metadata is at the path-inserted URL https://github.com/.well-known/oauth-authorization-server/login/oauth, the appended OIDC form is 404',
    observed: '2025-11-13',
    source: `https://github.com/github/github-mcp-server/issues/1404; ${PROVIDERS}`,
  },
  {
    id: 'no-dynamic-registration',
    statement:
      'There is no dynamic client registration (registration answers 422): a pre-registered OAuth app client id is required',
    observed: '2025-12-23',
    source: 'https://github.com/anomalyco/opencode/issues/6067',
  },
  {
    id: 'dcr-never',
    statement:
      'GitHub maintainers say dynamic client registration will not be implemented on the GitHub authorization server',
    observed: '2026-05-27',
    source: 'https://github.com/github/github-mcp-server/issues/2532',
  },
];

/**
 * GitHub's hosted MCP as a preset: for `https://api.githubcopilot.com/mcp/` (either slash form, and the
 * endpoints below it) the candidate issuer `https://github.com/login/oauth` with the hint that a
 * pre-registered client is required, and a policy for that issuer restricting discovery to RFC 8414 path
 * insertion (`oauth`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.1
 */
export const githubPreset: PresetDefinition = {
  name: 'github',
  title: 'GitHub',
  description:
    "GitHub's hosted MCP: path issuer https://github.com/login/oauth found by RFC 8414 insertion, trailing-slash resource, pre-registered client required.",
  hosts: ['https://api.githubcopilot.com', 'https://github.com'],
  facts: githubFacts,
  resources: [
    {
      label: 'GitHub MCP endpoint',
      match: [{ origin: 'https://api.githubcopilot.com', pathPrefix: '/mcp' }],
      issuers: [{ issuer: 'https://github.com/login/oauth' }],
      issuerPolicies: [
        {
          match: { exact: 'https://github.com/login/oauth' },
          metadataUrlKinds: ['oauth'],
          hints: { requiresPreregisteredClient: true },
          facts: ['path-issuer', 'no-dynamic-registration', 'dcr-never'],
        },
      ],
      hints: { requiresPreregisteredClient: true },
      facts: ['prm-path-aware', 'trailing-slash-resource', 'path-issuer', 'no-dynamic-registration'],
    },
  ],
};
