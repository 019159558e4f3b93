import type { PresetDefinition, PresetFact } from '@oauth-discovery/core/preset';

/**
 * What has been observed of Linear's hosted MCP, each with its date and source. When a fact stops holding, add the new one with its date rather than editing the old one.
 */
export const linearFacts: readonly PresetFact[] = [
  {
    id: 'cimd-tokens-401',
    statement:
      'The authorization server https://mcp.linear.app advertises Client ID Metadata Documents, but tokens issued to a CIMD client get 401 from the MCP endpoint; clients registered dynamically work',
    observed: '2026',
    source: 'opengeni#297',
  },
];

/**
 * Linear's hosted MCP as a preset: prefer dynamic registration over CIMD (`preferredRegistration: 'dcr'`), because CIMD clients' tokens are refused.
 */
export const linearPreset: PresetDefinition = {
  name: 'linear',
  title: 'Linear',
  description: "Linear's hosted MCP: advertises CIMD but refuses CIMD clients' tokens — prefer DCR.",
  hosts: ['https://mcp.linear.app'],
  facts: linearFacts,
  resources: [
    {
      label: 'Linear MCP endpoint',
      match: [{ origin: 'https://mcp.linear.app' }],
      hints: { preferredRegistration: 'dcr' },
      facts: ['cimd-tokens-401'],
    },
  ],
};
