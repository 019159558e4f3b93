import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { isDiscoveryError } from '@oauth-discovery/core';
import type { ConnectOptions } from './connect.js';
import { connectOwned, DEFAULT_CLIENT_INFO, type McpConnection } from './sdk-connection.js';
import { createAuthProvider, type McpAuthProvider } from './sdk-v2-provider.js';
import { createFileStore } from './store/file-store.js';

/** Options of the SDK v2 `connectWithOAuth`. */
export interface ConnectV2Options extends ConnectOptions {
  /**
   * An SDK client configured by the application (capabilities, request handlers, version
   * negotiation), not yet connected. Default: a client that negotiates the protocol version
   * (`versionNegotiation: { mode: 'auto' }`: 2026-07-28 when the server speaks it, else 2025-11-25).
   */
  readonly client?: Client | undefined;
}

/** A connected MCP client (SDK v2) and what it took to get there. */
export type OAuthConnectionV2 = McpConnection<Client, StreamableHTTPClientTransport, McpAuthProvider>;

/**
 * Our error behind an SDK error: SDK v2 wraps what the transport's fetch throws while it negotiates
 * the protocol version (`ERA_NEGOTIATION_FAILED`), and our codes are the stable ones to report.
 */
export function discoveryErrorIn(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth += 1) {
    if (isDiscoveryError(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return error;
}

/**
 * Connects to an MCP server over streamable HTTP with SDK v2 (`@modelcontextprotocol/client`),
 * speaking 2026-07-28 where the server does and 2025-11-25 otherwise. The first request goes out as
 * is; a 401 (or 403 `insufficient_scope`) starts discovery with the challenge, then stored tokens, a
 * refresh or an authorization, and the request is sent again.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/authorization
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/transports
 */
export async function connectWithOAuth(options: ConnectV2Options): Promise<OAuthConnectionV2> {
  const provider = createAuthProvider({ ...options, store: options.store ?? createFileStore() });
  return await connectOwned(
    provider,
    () =>
      options.client ??
      new Client(options.clientInfo ?? DEFAULT_CLIENT_INFO, { versionNegotiation: { mode: 'auto' } }),
    () =>
      new StreamableHTTPClientTransport(new URL(String(options.serverUrl)), {
        authProvider: provider,
        fetch: provider.wrapFetch(options.fetch),
      }),
    discoveryErrorIn,
  );
}
