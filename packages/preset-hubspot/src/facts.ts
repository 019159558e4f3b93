import type { PresetDefinition, PresetFact } from '@oauth-discovery/core';

const CAPTURES =
  'public captures of https://mcp.hubspot.com, 2026-10 (oauth-discovery docs/provider-quirks.md, HubSpot; thin evidence)';

/**
 * What has been observed of HubSpot's hosted MCP, each with its date and source. The evidence is
 * public captures without an issue thread: the facts say so. When a fact stops holding, add the new one
 * with its date rather than editing the old one.
 */
export const hubspotFacts: readonly PresetFact[] = [
  {
    id: 'root-prm-origin',
    statement:
      'The 401 of the MCP endpoint names the root protected resource metadata, whose resource is only the bare origin https://mcp.hubspot.com; RFC 9728 §3.3 says to refuse it, every popular client connects',
    observed: '2026-10',
    source: CAPTURES,
    evidence: 'thin',
  },
  {
    id: 'no-dcr',
    statement: "There is no dynamic client registration: a HubSpot app's client id is required",
    observed: '2026',
    source:
      'oauth-discovery docs/provider-quirks.md, quirk 12 (no dynamic registration; public reports, thin for HubSpot)',
    evidence: 'thin',
  },
];

/**
 * HubSpot's hosted MCP as a preset: for resources on `https://mcp.hubspot.com` only, the root PRM may
 * name the bare origin (a traced RFC 9728 §3.3 exception); a HubSpot app is required.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.3
 */
export const hubspotPreset: PresetDefinition = {
  name: 'hubspot',
  title: 'HubSpot',
  description: "HubSpot's hosted MCP: root PRM naming only the bare origin (thin evidence), no DCR.",
  hosts: ['https://mcp.hubspot.com'],
  facts: hubspotFacts,
  resources: [
    {
      label: 'HubSpot MCP endpoint',
      match: [{ origin: 'https://mcp.hubspot.com' }],
      resourceIdentifierExceptions: [{ resource: 'https://mcp.hubspot.com', facts: ['root-prm-origin'] }],
      hints: {
        preregisteredClientMessage:
          'HubSpot has no dynamic client registration: create an app in a HubSpot developer account (https://developers.hubspot.com/) and configure its client id.',
      },
      facts: ['root-prm-origin', 'no-dcr'],
    },
  ],
};
