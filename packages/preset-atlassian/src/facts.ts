import type { PresetDefinition, PresetFact } from '@oauth-discovery/core/preset';

const ISSUE_148 = 'https://github.com/atlassian/atlassian-mcp-server/issues/148';
const PUBLISHED =
  'oauth-discovery docs/provider-quirks.md, "What providers publish: Atlassian" (compiled from public reports)';

/**
 * What has been observed of Atlassian's hosted MCP, each with its date and source. Providers change:
 * when a fact stops holding, add the new one with its date rather than editing the old one.
 */
export const atlassianFacts: readonly PresetFact[] = [
  {
    id: 'v1-no-prm',
    statement:
      'The v1 endpoints publish no protected resource metadata (the well-known URLs answer 404, or 401 asking for the token being obtained) and their 401 challenge has no resource_metadata',
    observed: '2026-04-29',
    source: 'https://github.com/giantswarm/muster/issues/599',
  },
  {
    id: 'v1-metadata-at-origin',
    statement:
      'RFC 8414 metadata for the v1 endpoints is served at https://mcp.atlassian.com/.well-known/oauth-authorization-server',
    observed: '2026-04-29',
    source: 'https://github.com/giantswarm/muster/issues/599',
  },
  {
    id: 'v1-foreign-issuer',
    statement:
      'That document names issuer https://cf.mcp.atlassian.com, another host than the one serving it',
    observed: '2026-07-27',
    source: ISSUE_148,
  },
  {
    id: 'v1-same-origin-issuer',
    statement: 'A later probe saw that document name issuer https://mcp.atlassian.com',
    observed: '2026-10-01',
    source: PUBLISHED,
  },
  {
    id: 'authv2-tenant-issuer',
    statement:
      '/v1/mcp/authv2 and /v2/mcp publish path-aware protected resource metadata (also named in the 401) pointing at a per-tenant authorization server https://auth.atlassian.com/<tenantId>',
    observed: '2026-07-27',
    source: ISSUE_148,
  },
  {
    id: 'authv2-issuer-path-dropped',
    statement:
      'The tenant metadata (path-inserted URL) names issuer https://auth.atlassian.com, dropping the tenant path; the origin-only document has no registration_endpoint, so with this issuer dynamic client registration is not available',
    observed: '2026-07-27',
    source: `${ISSUE_148}; ${PUBLISHED}`,
  },
  {
    id: 'authv2-both-forms-200',
    statement:
      'For /v1/mcp/authv2 both metadata forms of the tenant authorization server answer 200, but the issuer they name is https://auth.atlassian.com (tenant path dropped): strict clients refuse it',
    observed: '2026',
    source: 'https://github.com/atlassian/atlassian-mcp-server/issues/205; pi-mcp-adapter#224',
  },
  {
    id: 'v2-per-tenant',
    statement:
      'https://mcp.atlassian.com/v2/mcp (GA 2026-09) publishes PRM naming a path-scoped authorization server https://auth.atlassian.com/<tenant> per tenant, found by RFC 8414 path insertion; v1 and authv2 stay in use',
    observed: '2026-09',
    source:
      'https://github.com/atlassian/atlassian-mcp-server/issues/238; https://github.com/QwenLM/qwen-code/issues/12165',
  },
  {
    id: 'authv2-issuer-with-path',
    statement:
      'Later reports see the tenant metadata name the tenant issuer with its path, as RFC 8414 §3.3 requires',
    observed: '2026-10',
    source: PUBLISHED,
  },
];

/**
 * Atlassian's hosted MCP as a preset: the v1 endpoints get the candidate issuer
 * `https://mcp.atlassian.com` accepting exactly the issuers observed for it (`https://cf.mcp.atlassian.com`
 * and the origin itself); the authv2/v2 endpoints get a policy for the tenant authorization servers
 * `https://auth.atlassian.com/…` accepting the origin-only issuer they were seen to name.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export const atlassianPreset: PresetDefinition = {
  name: 'atlassian',
  title: 'Atlassian',
  description:
    "Atlassian's hosted MCP: v1 has no protected resource metadata and a foreign issuer; authv2 and v2 (GA 2026-09) use per-tenant authorization servers whose metadata may drop the tenant path.",
  hosts: ['https://mcp.atlassian.com', 'https://cf.mcp.atlassian.com', 'https://auth.atlassian.com'],
  facts: atlassianFacts,
  resources: [
    {
      label: 'Atlassian authv2/v2 MCP endpoint',
      match: [
        { url: 'https://mcp.atlassian.com/v1/mcp/authv2' },
        { url: 'https://mcp.atlassian.com/v2/mcp' },
      ],
      issuerPolicies: [
        {
          match: { prefix: 'https://auth.atlassian.com/' },
          acceptedIssuers: [
            {
              issuer: 'https://auth.atlassian.com',
              facts: ['authv2-issuer-path-dropped', 'authv2-both-forms-200'],
            },
          ],
          facts: ['authv2-issuer-path-dropped', 'authv2-both-forms-200', 'authv2-issuer-with-path'],
        },
      ],
      facts: ['authv2-tenant-issuer', 'v2-per-tenant'],
    },
    {
      label: 'Atlassian v1 MCP endpoint',
      match: [{ url: 'https://mcp.atlassian.com/v1/mcp' }, { url: 'https://mcp.atlassian.com/v1/sse' }],
      issuers: [
        {
          issuer: 'https://mcp.atlassian.com',
          acceptedIssuers: [
            { issuer: 'https://cf.mcp.atlassian.com', facts: ['v1-foreign-issuer'] },
            'https://mcp.atlassian.com',
          ],
        },
      ],
      facts: ['v1-no-prm', 'v1-metadata-at-origin', 'v1-foreign-issuer', 'v1-same-origin-issuer'],
    },
  ],
};
