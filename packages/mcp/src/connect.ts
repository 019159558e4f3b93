import type { DiscoveryResult } from '@oauth-discovery/core';
import { normalizeResource } from '@oauth-discovery/core/metadata';
import { createAuthSession, type OAuthProviderOptions } from './auth-session.js';
import type { FetchLike } from './fetch-like.js';
import { createFileStore } from './store/file-store.js';
import type { StoredTokens, TokenStore } from './store/types.js';

/** Options of `connectWithOAuth` (both SDK lines) and {@link login}: the provider's, with the file store as default store. */
export interface ConnectOptions extends OAuthProviderOptions {
  /** Where tokens live. Default: {@link createFileStore} in the user's config directory. */
  readonly store?: TokenStore | undefined;
  /** Name and version this client announces to the MCP server. */
  readonly clientInfo?: { readonly name: string; readonly version: string } | undefined;
  /** The fetch of the MCP requests themselves, under our authorization (`wrapFetch`). Default: undici's. */
  readonly fetch?: FetchLike | undefined;
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
  const provider = createAuthSession({
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
  const removed = await store.deleteTokens({ resource: normalizeResource(options.serverUrl) });
  return { removed };
}
