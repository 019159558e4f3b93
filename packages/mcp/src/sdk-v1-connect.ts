import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { DiscoveryResult } from '@oauth-discovery/core';
import type { ConnectOptions } from './connect.js';
import { createOAuthProvider, type OAuthProvider } from './provider.js';
import { createFileStore } from './store/file-store.js';

/** A connected MCP client (SDK 1.x) and what it took to get there. */
export interface OAuthConnection {
  /** The SDK client, connected and initialized. */
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport;
  /** The latest discovery result, or `undefined` when the server never asked for authorization. */
  readonly result: DiscoveryResult | undefined;
  readonly provider: OAuthProvider;
  /** Closes the MCP connection and what the provider created. */
  close(): Promise<void>;
}

const DEFAULT_CLIENT_INFO = { name: 'oauth-discovery', version: '0.0.0' } as const;

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
  let client: Client | undefined;
  try {
    const transport = new StreamableHTTPClientTransport(new URL(String(options.serverUrl)), {
      authProvider: provider,
      fetch: provider.wrapFetch(options.fetch),
    });
    const connected = new Client(options.clientInfo ?? DEFAULT_CLIENT_INFO);
    client = connected;
    await connected.connect(transport);
    return {
      client: connected,
      transport,
      get result() {
        return provider.result;
      },
      provider,
      async close() {
        try {
          await connected.close();
        } finally {
          await provider.close();
        }
      },
    };
  } catch (error) {
    await client?.close().catch(() => undefined);
    await provider.close();
    throw error;
  }
}
