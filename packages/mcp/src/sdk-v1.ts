/**
 * `@oauth-discovery/mcp/sdk-v1`: the adapter for the MCP TypeScript SDK 1.x
 * (`@modelcontextprotocol/sdk`, protocol 2025-11-25).
 */

export type { OAuthProvider, OAuthProviderOptions } from './provider.js';
export { createOAuthProvider } from './provider.js';
export type { McpConnection } from './sdk-connection.js';
export { toSdkDiscoveryState } from './sdk-state.js';
export type { OAuthConnection } from './sdk-v1-connect.js';
export { connectWithOAuth } from './sdk-v1-connect.js';
