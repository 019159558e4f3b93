import type { AuthProvider } from '@modelcontextprotocol/client';
import { DiscoveryError, type DiscoveryResult } from '@oauth-discovery/core';
import { createAuthSession, type OAuthProviderOptions } from './auth-session.js';
import { FlowErrorCodes } from './error-codes.js';
import type { FetchLike } from './fetch-like.js';
import type { StoredTokens } from './store/types.js';

type UnauthorizedContext = Parameters<NonNullable<AuthProvider['onUnauthorized']>>[0];

/**
 * SDK v2's `AuthProvider` backed by our discovery and session, plus the session API the helpers use.
 * The SDK asks it for the token before each request and hands it every 401; it never sees OAuth
 * metadata, so it cannot run a discovery of its own.
 */
export interface McpAuthProvider extends AuthProvider {
  /** The resource this provider authorizes for. */
  readonly serverUrl: string;
  /** The last discovery result, if the server challenged. */
  readonly result: DiscoveryResult | undefined;
  /** Runs discovery (once per challenge) and returns its result. */
  discover(): Promise<DiscoveryResult>;
  /** Tokens usable now: stored, refreshed before expiry, or newly authorized (when interactive). */
  ensureTokens(): Promise<StoredTokens>;
  /** A new authorization whatever is stored (what `login` does). */
  authorize(): Promise<StoredTokens>;
  /**
   * Wraps the transport's fetch: the token on every request, 401 and 403 `insufficient_scope`
   * answered by discovery with the challenge, authorization or step-up, and the request sent again.
   * Without it the SDK answers 401 through {@link AuthProvider.onUnauthorized}, but it cannot step up
   * (it throws `InsufficientScopeError` for a provider that is not its own `OAuthClientProvider`).
   */
  wrapFetch(base?: FetchLike): FetchLike;
  /** Closes what the provider created (its HTTP client and pipeline). */
  close(): Promise<void>;
}

/**
 * Creates an auth provider for SDK v2 (`@modelcontextprotocol/client`) for one MCP server: pass it as
 * the transport's `authProvider`, with `fetch: provider.wrapFetch()` for step-up.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/authorization
 */
export function createAuthProvider(options: OAuthProviderOptions): McpAuthProvider {
  const base = createAuthSession(options);
  let sent: string | undefined;
  return {
    serverUrl: base.serverUrl,
    get result() {
      return base.result;
    },
    discover: () => base.discover(),
    ensureTokens: () => base.ensureTokens(),
    authorize: () => base.authorize(),
    wrapFetch: (fetch?: FetchLike) => base.wrapFetch(fetch),
    close: () => base.close(),
    async token() {
      sent = await base.session.currentToken();
      return sent;
    },
    async onUnauthorized(context: UnauthorizedContext) {
      const header = context.response.headers.get('www-authenticate');
      const retry = await base.session.handleChallenge(401, header, sent);
      if (!retry) {
        throw new DiscoveryError(
          FlowErrorCodes.AUTHORIZATION_FAILED,
          `${base.serverUrl} answered HTTP 401 and no new authorization can help`,
          {
            url: base.serverUrl,
            expected: 'a request the token allows',
            actual: { status: 401, wwwAuthenticate: header },
          },
        );
      }
      await base.ensureTokens();
    },
  };
}
