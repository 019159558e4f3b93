import type { PresetDefinition, PresetFact, PresetIssuerPolicy } from '@oauth-discovery/core/preset';

const PUBLISHED =
  'oauth-discovery docs/provider-quirks.md, "What providers publish: GitHub" (compiled from public reports)';

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
    source: `https://github.com/github/github-mcp-server/issues/1404; ${PUBLISHED}`,
  },
  {
    id: 'no-dynamic-registration',
    statement:
      'There is no dynamic client registration (registration answers 422): a pre-registered OAuth app client id is required',
    observed: '2025-12-23',
    source: 'https://github.com/anomalyco/opencode/issues/6067',
  },
  {
    id: 'repeated-media-type',
    statement:
      'The protected resource metadata was once served with Content-Type "application/json, application/json" (the media type repeated)',
    observed: '2025-08',
    source: 'https://github.com/microsoft/vscode/issues/259251',
  },
  {
    id: 'errors-http-200',
    statement: 'Some errors come back with HTTP 200; there is neither dynamic registration (422) nor CIMD',
    observed: '2026',
    source:
      'https://github.com/microsoft/vscode/issues/273655; https://github.com/github/github-mcp-server/issues/921; https://github.com/github/github-mcp-server/issues/2977',
  },
  {
    id: 'enterprise-cross-origin-resource',
    statement:
      'For Copilot Enterprise accounts the MCP endpoint is https://api.enterprise.githubcopilot.com/mcp/readonly, whose 401 names protected resource metadata on https://api.githubcopilot.com with the resource https://api.githubcopilot.com/mcp/readonly (another origin)',
    observed: '2026-08-08',
    source: 'https://github.com/github/copilot-cli/issues/4408',
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
const ISSUER = 'https://github.com/login/oauth';
const MESSAGE =
  'GitHub has no dynamic client registration: create an OAuth app (https://github.com/settings/developers) and configure its client id.';

/** Every GitHub endpoint needs a pre-registered client. */
const HINTS = { requiresPreregisteredClient: true, preregisteredClientMessage: MESSAGE } as const;

/** GitHub's issuer: found by RFC 8414 path insertion only, and never offers dynamic registration. */
const ISSUER_POLICY: PresetIssuerPolicy = {
  match: { exact: ISSUER },
  metadataUrlKinds: ['oauth'],
  hints: HINTS,
  facts: ['path-issuer', 'no-dynamic-registration', 'dcr-never'],
};

export const githubPreset: PresetDefinition = {
  name: 'github',
  title: 'GitHub',
  description:
    "GitHub's hosted MCP: path issuer https://github.com/login/oauth found by RFC 8414 insertion, trailing-slash resource, pre-registered client required.",
  hosts: ['https://api.githubcopilot.com', 'https://github.com', 'https://api.enterprise.githubcopilot.com'],
  facts: githubFacts,
  resources: [
    {
      label: 'GitHub MCP endpoint',
      match: [{ origin: 'https://api.githubcopilot.com', pathPrefix: '/mcp' }],
      issuers: [{ issuer: ISSUER }],
      issuerPolicies: [ISSUER_POLICY],
      hints: HINTS,
      facts: [
        'prm-path-aware',
        'trailing-slash-resource',
        'repeated-media-type',
        'errors-http-200',
        'path-issuer',
        'no-dynamic-registration',
      ],
    },
    {
      label: 'GitHub Copilot Enterprise MCP endpoint',
      match: [{ url: 'https://api.enterprise.githubcopilot.com/mcp/readonly' }],
      resourceIdentifierExceptions: [
        {
          resource: 'https://api.githubcopilot.com/mcp/readonly',
          facts: ['enterprise-cross-origin-resource'],
        },
      ],
      issuers: [{ issuer: ISSUER }],
      issuerPolicies: [ISSUER_POLICY],
      hints: HINTS,
      facts: ['enterprise-cross-origin-resource', 'no-dynamic-registration'],
    },
  ],
};
