import type { PresetDefinition, PresetFact } from '@oauth-discovery/core/preset';

const THREAD = 'slack-skills-plugin#7';

/**
 * What has been observed of Slack's hosted MCP, each with its date and source. When a fact stops
 * holding, add the new one with its date rather than editing the old one.
 */
export const slackFacts: readonly PresetFact[] = [
  {
    id: 'root-prm-origin',
    statement:
      'The 401 of https://mcp.slack.com/mcp names the root protected resource metadata, whose resource is only the bare origin https://mcp.slack.com',
    observed: '2026-03',
    source: THREAD,
  },
  {
    id: 'as-on-mcp-origin',
    statement:
      'That metadata names https://mcp.slack.com as the authorization server (the thread shows the issuer values, not this list)',
    observed: '2026-03',
    source: THREAD,
    evidence: 'thin',
  },
  {
    id: 'issuer-slack-com',
    statement: 'The authorization server metadata named issuer https://slack.com',
    observed: '2026-03',
    source: THREAD,
  },
  {
    id: 'issuer-mcp-slack-com',
    statement: 'Later the metadata named issuer https://mcp.slack.com',
    observed: '2026-08',
    source: THREAD,
  },
  {
    id: 'no-dcr',
    statement: "There is no dynamic client registration: a Slack app's client id is required",
    observed: '2026-03',
    source: THREAD,
  },
  {
    id: 'scope-required',
    statement: 'The authorization request must carry a scope parameter',
    observed: '2026-03',
    source: THREAD,
  },
];

/**
 * Slack's hosted MCP as a preset: for resources on `https://mcp.slack.com`, the root PRM may name the
 * bare origin (a traced RFC 9728 §3.3 exception), and the authorization server `https://mcp.slack.com`
 * may name the issuer `https://slack.com` it named in 2026-03 (a dated alias); a Slack app is required.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.3
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export const slackPreset: PresetDefinition = {
  name: 'slack',
  title: 'Slack',
  description:
    "Slack's hosted MCP: root PRM naming the bare origin, issuer https://slack.com (2026-03) then https://mcp.slack.com (2026-08), no DCR.",
  hosts: ['https://mcp.slack.com', 'https://slack.com'],
  facts: slackFacts,
  resources: [
    {
      label: 'Slack MCP endpoint',
      match: [{ origin: 'https://mcp.slack.com' }],
      resourceIdentifierExceptions: [{ resource: 'https://mcp.slack.com', facts: ['root-prm-origin'] }],
      issuerPolicies: [
        {
          match: { exact: 'https://mcp.slack.com' },
          acceptedIssuers: [{ issuer: 'https://slack.com', facts: ['issuer-slack-com'] }],
          facts: ['as-on-mcp-origin', 'issuer-slack-com', 'issuer-mcp-slack-com'],
        },
      ],
      hints: {
        preregisteredClientMessage:
          'Slack has no dynamic client registration: create a Slack app at https://api.slack.com/apps, allow its MCP access, and configure its client id.',
      },
      facts: ['root-prm-origin', 'no-dcr', 'scope-required'],
    },
  ],
};
