import type { AuthProvider } from '@modelcontextprotocol/client';
import { DiscoveryError } from '@oauth-discovery/core';
import {
  type AuthSessionApi,
  createAuthSession,
  type OAuthProviderOptions,
  withSessionApi,
} from './auth-session.js';
import { FlowErrorCodes } from './error-codes.js';

type UnauthorizedContext = Parameters<NonNullable<AuthProvider['onUnauthorized']>>[0];

/**
 * SDK v2's `AuthProvider` backed by our discovery and session, plus the session API the helpers use.
 * The SDK asks it for the token before each request and hands it every 401; it never sees OAuth
 * metadata, so it cannot run a discovery of its own. Without `wrapFetch` the SDK answers 401 through
 * `onUnauthorized`, but it cannot step up (it throws `InsufficientScopeError` for a provider that is not
 * its own `OAuthClientProvider`).
 */
export interface McpAuthProvider extends AuthProvider, AuthSessionApi {}

/**
 * Creates an auth provider for SDK v2 (`@modelcontextprotocol/client`) for one MCP server: pass it as
 * the transport's `authProvider`, with `fetch: provider.wrapFetch()` for step-up.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/authorization
 */
export function createAuthProvider(options: OAuthProviderOptions): McpAuthProvider {
  const base = createAuthSession(options);
  let sent: string | undefined;
  return withSessionApi<Omit<McpAuthProvider, keyof AuthSessionApi>>(base, {
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
  });
}
