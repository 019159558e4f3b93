import type { PresetDefinition, PresetFact } from '@oauth-discovery/core';

/**
 * What has been observed of Supabase's hosted MCP, each with its date and source. When a fact stops holding, add the new one with its date rather than editing the old one.
 */
export const supabaseFacts: readonly PresetFact[] = [
  {
    id: 'as-api-supabase',
    statement:
      'The PRM of https://mcp.supabase.com/mcp names the authorization server https://api.supabase.com',
    observed: '2026',
    source: 'https://github.com/geelen/mcp-remote/issues/192',
  },
  {
    id: 'resource-ignored',
    statement:
      'The authorization server ignores the RFC 8707 resource parameter: the token aud is "authenticated", not the MCP server',
    observed: '2026',
    source: 'https://github.com/geelen/mcp-remote/issues/192',
  },
];

/**
 * Supabase's hosted MCP as a preset: discovery follows the spec; it cites that the token audience is not bound to the MCP server (for clients and servers validating `aud`).
 */
export const supabasePreset: PresetDefinition = {
  name: 'supabase',
  title: 'Supabase',
  description:
    'Supabase\'s hosted MCP: authorization server https://api.supabase.com ignores resource (token aud "authenticated").',
  hosts: ['https://mcp.supabase.com', 'https://api.supabase.com'],
  facts: supabaseFacts,
  resources: [
    {
      label: 'Supabase MCP endpoint',
      match: [{ origin: 'https://mcp.supabase.com' }],
      facts: ['as-api-supabase', 'resource-ignored'],
    },
  ],
};
