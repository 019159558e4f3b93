import type { PresetDefinition, PresetFact } from '@oauth-discovery/core';

/**
 * What has been observed of Asana's hosted MCP (v2), each with its date and source. When a fact stops holding, add the new one with its date rather than editing the old one.
 */
export const asanaFacts: readonly PresetFact[] = [
  {
    id: 'v2-prm',
    statement:
      'https://mcp.asana.com/v2/mcp publishes PRM naming the authorization server https://app.asana.com; the PRM is at a URL reachable only through the 401 header',
    observed: '2026',
    source: 'https://github.com/apify/mcpc/issues/384 (oauth-discovery docs/provider-quirks.md, quirk 4)',
  },
  {
    id: 'no-dcr-no-cimd',
    statement: 'There is neither dynamic client registration nor CIMD: an Asana app is required',
    observed: '2026',
    source: 'https://github.com/apify/mcpc/issues/384',
  },
  {
    id: 'confidential-only',
    statement: 'Only confidential clients (with a client secret) are accepted',
    observed: '2026',
    source: 'https://github.com/apify/mcpc/issues/384',
  },
];

/**
 * Asana's hosted MCP (v2) as a preset: a pre-registered confidential client is the way in; the message says where to create it.
 */
export const asanaPreset: PresetDefinition = {
  name: 'asana',
  title: 'Asana',
  description: "Asana's hosted MCP v2: no DCR, no CIMD, confidential clients only.",
  hosts: ['https://mcp.asana.com', 'https://app.asana.com'],
  facts: asanaFacts,
  resources: [
    {
      label: 'Asana v2 MCP endpoint',
      match: [{ origin: 'https://mcp.asana.com', pathPrefix: '/v2' }],
      hints: {
        preferredRegistration: 'preregistered',
        preregisteredClientMessage:
          'Asana has no dynamic registration and no CIMD, and accepts confidential clients only: create an app at https://app.asana.com/0/my-apps and configure its client id and secret.',
      },
      facts: ['v2-prm', 'no-dcr-no-cimd', 'confidential-only'],
    },
  ],
};
