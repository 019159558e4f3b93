import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { DiscoveryResult } from '@oauth-discovery/core';
import { normalizeResourceUrl } from './normalize.js';
import { createOAuthProvider, type OAuthProvider, type OAuthProviderOptions } from './provider.js';
import { createFileStore } from './store/file-store.js';
import type { StoredTokens, TokenStore } from './store/types.js';

/** Options of {@link connectWithOAuth} and {@link login}: the provider's, with the file store as default store. */
export interface ConnectOptions extends OAuthProviderOptions {
  /** Where tokens live. Default: {@link createFileStore} in the user's config directory. */
  readonly store?: TokenStore | undefined;
  /** Name and version this client announces to the MCP server. */
  readonly clientInfo?: { readonly name: string; readonly version: string } | undefined;
}

/** A connected MCP client and what it took to get there. */
export interface OAuthConnection {
  /** The SDK client, connected and initialized. */
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport;
  /** The discovery result the connection was authorized with (the latest, after any re-discovery). */
  readonly result: DiscoveryResult;
  readonly provider: OAuthProvider;
  /** Closes the MCP connection and what the provider created. */
  close(): Promise<void>;
}

const DEFAULT_CLIENT_INFO = { name: 'oauth-discovery', version: '0.0.0' } as const;

/**
 * Connects to an OAuth-protected MCP server over streamable HTTP: discovery with our pipeline,
 * tokens from the store (refreshed before expiry) or a new authorization (browser with loopback
 * callback, or headless), then the SDK client over a transport whose fetch answers 401/403 by
 * re-discovery, refresh, re-authorization and step-up.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http
 */
export async function connectWithOAuth(options: ConnectOptions): Promise<OAuthConnection> {
  const provider = createOAuthProvider({ ...options, store: options.store ?? createFileStore() });
  let client: Client | undefined;
  try {
    await provider.ensureTokens();
    const transport = new StreamableHTTPClientTransport(new URL(String(options.serverUrl)), {
      authProvider: provider,
      fetch: provider.wrapFetch(),
    });
    const connected = new Client(options.clientInfo ?? DEFAULT_CLIENT_INFO);
    client = connected;
    await connected.connect(transport);
    return {
      client: connected,
      transport,
      get result() {
        // Set by ensureTokens() above; re-discovery after a challenge replaces it.
        return provider.result as DiscoveryResult;
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

/** What {@link login} did. */
export interface LoginResult {
  readonly result: DiscoveryResult;
  /** The new tokens (also in the store). Do not print `accessToken` or `refreshToken`. */
  readonly tokens: StoredTokens;
}

/**
 * Logs in: discovery, then a new authorization whatever is stored, tokens saved to the store.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-flow-steps
 */
export async function login(options: ConnectOptions): Promise<LoginResult> {
  const provider = createOAuthProvider({
    ...options,
    interactive: true,
    store: options.store ?? createFileStore(),
  });
  try {
    const tokens = await provider.authorize();
    return { result: provider.result as DiscoveryResult, tokens };
  } finally {
    await provider.close();
  }
}

/** Options of {@link logout}. */
export interface LogoutOptions {
  readonly serverUrl: string | URL;
  /** Default: {@link createFileStore} in the user's config directory. */
  readonly store?: TokenStore | undefined;
}

/**
 * Logs out of one MCP server: deletes its stored tokens for every authorization server, without any
 * network request. Client registrations are kept (they belong to the authorization server).
 */
export async function logout(options: LogoutOptions): Promise<{ readonly removed: number }> {
  const store = options.store ?? createFileStore();
  const removed = await store.deleteTokens({ resource: normalizeResourceUrl(options.serverUrl) });
  return { removed };
}
