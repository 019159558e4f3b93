import type { PresetDefinition, PresetFact } from '@oauth-discovery/core';

/**
 * What has been observed of Cloudflare's hosted MCP, each with its date and source. When a fact stops holding, add the new one with its date rather than editing the old one.
 */
export const cloudflareFacts: readonly PresetFact[] = [
  {
    id: 'prm-path-suffixed',
    statement:
      'Protected resource metadata is published at the path-aware (path-suffixed) URL of https://mcp.cloudflare.com/mcp',
    observed: '2026',
    source: 'https://github.com/cloudflare/mcp/issues/183',
  },
  {
    id: 'iss-advertised',
    statement: 'The authorization server advertises the RFC 9207 iss authorization response parameter',
    observed: '2026',
    source: 'https://github.com/cloudflare/mcp/issues/183',
  },
  {
    id: 'exact-resource',
    statement:
      'The authorization request must carry the exact resource (RFC 8707) — leaving it out or changing it fails',
    observed: '2026',
    source: 'https://github.com/cloudflare/mcp/issues/183',
  },
  {
    id: 'offline-access',
    statement: 'Refresh tokens are issued only with the offline_access scope',
    observed: '2026',
    source: 'https://github.com/cloudflare/mcp/issues/183',
  },
];

/**
 * Cloudflare's hosted MCP as a preset: discovery follows the spec; it cites what the flow must do (send the exact `resource`, check `iss`, ask for `offline_access`).
 */
export const cloudflarePreset: PresetDefinition = {
  name: 'cloudflare',
  title: 'Cloudflare',
  description:
    "Cloudflare's hosted MCP: path-aware PRM; send the exact resource, check iss, request offline_access for refresh tokens.",
  hosts: ['https://mcp.cloudflare.com'],
  facts: cloudflareFacts,
  resources: [
    {
      label: 'Cloudflare MCP endpoint',
      match: [{ origin: 'https://mcp.cloudflare.com' }],
      hints: { defaultScopes: ['offline_access'] },
      facts: ['prm-path-suffixed', 'iss-advertised', 'exact-resource', 'offline-access'],
    },
  ],
};
