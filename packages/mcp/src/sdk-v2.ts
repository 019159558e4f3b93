/**
 * `@oauth-discovery/mcp/sdk-v2`: the adapter for the MCP TypeScript SDK v2
 * (`@modelcontextprotocol/client`, protocols 2026-07-28 and 2025-11-25).
 */
export type { OAuthProviderOptions } from './auth-session.js';
export type { ConnectV2Options, OAuthConnectionV2 } from './sdk-v2-connect.js';
export { connectWithOAuth, discoveryErrorIn } from './sdk-v2-connect.js';
export type { McpAuthProvider } from './sdk-v2-provider.js';
export { createAuthProvider } from './sdk-v2-provider.js';
