import type { PresetDefinition, PresetFact } from '@oauth-discovery/core';

/**
 * What has been observed of Stripe's hosted MCP, each with its date and source. When a fact stops holding, add the new one with its date rather than editing the old one.
 */
export const stripeFacts: readonly PresetFact[] = [
  {
    id: 'path-issuer',
    statement:
      'The MCP server https://mcp.stripe.com names the path issuer https://access.stripe.com/mcp, whose metadata is at the path-inserted URL https://access.stripe.com/.well-known/oauth-authorization-server/mcp',
    observed: '2026',
    source: 'https://github.com/obot-platform/obot/issues/4278',
  },
  {
    id: 'dcr-client-name',
    statement:
      'Dynamic client registration requires client_name and a public client (token_endpoint_auth_method none)',
    observed: '2026',
    source: 'https://github.com/obot-platform/obot/issues/4278',
  },
  {
    id: 'redirect-allow-list',
    statement: 'Redirect URIs are checked against an allow-list',
    observed: '2026',
    source: 'https://github.com/obot-platform/obot/issues/4278',
  },
  {
    id: 'prm-origin-resource',
    statement: 'The PRM resource is the bare origin, which differs from the typed URL by a trailing slash',
    observed: '2026',
    source:
      'oauth-discovery docs/provider-quirks.md, quirk 5 (PRM resource differs by a trailing slash or is the origin; public reports)',
    evidence: 'thin',
  },
];

/**
 * Stripe's hosted MCP as a preset: DCR fields it requires (`client_name`, `token_endpoint_auth_method: none`); discovery itself follows the spec (path issuer by RFC 8414 insertion).
 */
export const stripePreset: PresetDefinition = {
  name: 'stripe',
  title: 'Stripe',
  description:
    "Stripe's hosted MCP: path issuer https://access.stripe.com/mcp; DCR requires client_name and auth method none.",
  hosts: ['https://mcp.stripe.com', 'https://access.stripe.com'],
  facts: stripeFacts,
  resources: [
    {
      label: 'Stripe MCP endpoint',
      match: [{ origin: 'https://mcp.stripe.com' }],
      hints: {
        registrationFields: { client_name: 'MCP client', token_endpoint_auth_method: 'none' },
      },
      facts: ['path-issuer', 'dcr-client-name', 'redirect-allow-list', 'prm-origin-resource'],
    },
  ],
};
