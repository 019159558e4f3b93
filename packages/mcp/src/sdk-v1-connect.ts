import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ConnectOptions } from './connect.js';
import { createOAuthProvider, type OAuthProvider } from './provider.js';
import { connectOwned, DEFAULT_CLIENT_INFO, type McpConnection } from './sdk-connection.js';
import { createFileStore } from './store/file-store.js';

/** A connected MCP client (SDK 1.x) and what it took to get there. */
export type OAuthConnection = McpConnection<Client, StreamableHTTPClientTransport, OAuthProvider>;

/**
 * Connects to an MCP server over streamable HTTP with SDK 1.x (protocol 2025-11-25). The first
 * request goes out as is; when the server challenges (401, or 403 `insufficient_scope`), discovery
 * runs with the challenge, then stored tokens, a refresh or a new authorization (browser with
 * loopback callback, or headless), and the request is sent again. Our provider is the SDK's
 * `authProvider`, and its fetch answers the challenges, so the SDK never discovers on its own.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http
 */
export async function connectWithOAuth(options: ConnectOptions): Promise<OAuthConnection> {
  const provider = createOAuthProvider({ ...options, store: options.store ?? createFileStore() });
  return await connectOwned(
    provider,
    () => new Client(options.clientInfo ?? DEFAULT_CLIENT_INFO),
    () =>
      new StreamableHTTPClientTransport(new URL(String(options.serverUrl)), {
        authProvider: provider,
        fetch: provider.wrapFetch(options.fetch),
      }),
  );
}
