import type { PresetDefinition, PresetFact } from '@oauth-discovery/core';

/**
 * What has been observed of Box's hosted MCP, each with its date and source. When a fact stops holding, add the new one with its date rather than editing the old one.
 */
export const boxFacts: readonly PresetFact[] = [
  {
    id: 'no-registration-endpoint',
    statement:
      'The authorization server api.box.com publishes no registration_endpoint: a Box app is required',
    observed: '2026',
    source: 'https://github.com/anthropics/claude-code/issues/67258',
  },
  {
    id: 'trailing-slash-issuer',
    statement: 'authorization_servers and the metadata issuer differ by a trailing slash',
    observed: '2026',
    source:
      'oauth-discovery docs/provider-quirks.md, quirk 6 (trailing-slash issuer differences; public reports)',
    evidence: 'thin',
  },
  {
    id: 'prm-origin-resource',
    statement: 'The PRM resource is the bare origin https://mcp.box.com',
    observed: '2026',
    source:
      'oauth-discovery docs/provider-quirks.md, quirk 5 (PRM resource differs by a trailing slash or is the origin; public reports)',
    evidence: 'thin',
  },
];

/**
 * Box's hosted MCP as a preset: says where to create the Box app when there is no registration endpoint; the trailing-slash differences need no relaxation.
 */
export const boxPreset: PresetDefinition = {
  name: 'box',
  title: 'Box',
  description:
    "Box's hosted MCP: no registration endpoint (a Box app is required); trailing-slash issuer differences.",
  hosts: ['https://mcp.box.com', 'https://api.box.com'],
  facts: boxFacts,
  resources: [
    {
      label: 'Box MCP endpoint',
      match: [{ origin: 'https://mcp.box.com' }],
      hints: {
        preregisteredClientMessage:
          'Box has no dynamic client registration: create an OAuth 2.0 app in the Box developer console (https://app.box.com/developers/console) and configure its client id.',
      },
      facts: ['no-registration-endpoint', 'trailing-slash-issuer', 'prm-origin-resource'],
    },
  ],
};
