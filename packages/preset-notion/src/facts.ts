import type { PresetDefinition, PresetFact } from '@oauth-discovery/core/preset';

/**
 * What has been observed of Notion's hosted MCP, each with its date and source. When a fact stops holding, add the new one with its date rather than editing the old one.
 */
export const notionFacts: readonly PresetFact[] = [
  {
    id: 'refresh-rotation',
    statement:
      'The refresh token rotates on every use and at most two are valid at once: refreshing twice concurrently ends in invalid_grant',
    observed: '2026',
    source: 'paperclip#11030; https://github.com/onyx-dot-app/onyx/issues/12874',
  },
  {
    id: 'auth-method-none',
    statement: 'Dynamic client registration works with token_endpoint_auth_method none (a public client)',
    observed: '2026',
    source: 'paperclip#11030; https://github.com/onyx-dot-app/onyx/issues/12874',
  },
];

/**
 * Notion's hosted MCP as a preset: discovery follows the spec, so it contributes flow hints only — register with `token_endpoint_auth_method: none`, and the note that refresh tokens rotate.
 */
export const notionPreset: PresetDefinition = {
  name: 'notion',
  title: 'Notion',
  description:
    "Notion's hosted MCP: register as a public client (auth method none); refresh tokens rotate on every use.",
  hosts: ['https://mcp.notion.com'],
  facts: notionFacts,
  resources: [
    {
      label: 'Notion MCP endpoint',
      match: [{ origin: 'https://mcp.notion.com' }],
      hints: { registrationFields: { token_endpoint_auth_method: 'none' } },
      facts: ['refresh-rotation', 'auth-method-none'],
    },
  ],
};
