import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { DiscoveryError } from '@oauth-discovery/core';
import {
  type AuthSessionApi,
  createAuthSession,
  type OAuthProviderOptions,
  withSessionApi,
} from './auth-session.js';
import { startCallbackServer } from './callback-server.js';
import {
  addExtraAuthorizationParameters,
  assertPkceUsable,
  createState,
  expiresAtFrom,
  processAuthorizationResponse,
} from './engine/index.js';
import { FlowErrorCodes } from './error-codes.js';
import { DEFAULT_HEADLESS_CALLBACK_PORT, headlessPolicy, storeKey } from './flow.js';
import { followAuthorizationRedirects } from './headless.js';
import { resolveClient } from './oauth/registration.js';
import { resourceIndicator } from './resource-indicator.js';
import { toSdkDiscoveryState } from './sdk-state.js';
import { issuerBinding } from './store/binding.js';
import type { StoredTokens } from './store/types.js';

export type { OAuthProviderOptions } from './auth-session.js';
export { undiciFetchLike } from './auth-session.js';

/**
 * The SDK's `OAuthClientProvider` backed by our discovery, plus the session API the helpers use.
 * Its `discoveryState()` always returns a complete state, so the SDK's `auth()` discovers nothing.
 */
export interface OAuthProvider extends OAuthClientProvider, AuthSessionApi {
  /** The authorization code captured by `redirectToAuthorization` (SDK-driven flow), once. */
  takeAuthorizationCode(): string | undefined;
}

/**
 * Stored tokens as the SDK's `tokens()` answer. The refresh token is never handed over: the SDK's
 * `auth()` would refresh with its own code; `tokens()` refreshes through the engine instead.
 */
function toSdkTokens(tokens: StoredTokens, issuer: string): OAuthTokens {
  return {
    access_token: tokens.accessToken,
    token_type: tokens.tokenType,
    issuer,
    expires_in:
      tokens.expiresAt === undefined
        ? undefined
        : Math.max(0, Math.floor((tokens.expiresAt - Date.now()) / 1000)),
    scope: tokens.scope,
    id_token: tokens.idToken,
  };
}

/**
 * Creates an OAuth client provider for one MCP server that follows the MCP authorization spec, with
 * discovery from our pipeline. Use it with {@link connectWithOAuth}, or pass it as `authProvider` to
 * the SDK's transports (together with `fetch: provider.wrapFetch()` for refresh before expiry,
 * re-discovery on 401 and step-up on 403).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 */
export function createOAuthProvider(options: OAuthProviderOptions): OAuthProvider {
  const base = createAuthSession(options);
  const { serverUrl, session, store, http, init, emit, scope, clientOptions } = base;

  // SDK-driven flow only (the SDK's auth() calling state/saveCodeVerifier/redirectToAuthorization).
  let sdkState: string | undefined;
  let sdkVerifier: string | undefined;
  let capturedCode: string | undefined;
  const sdkRedirectUrl = `http://127.0.0.1:${options.callbackPort || DEFAULT_HEADLESS_CALLBACK_PORT}/callback`;

  return withSessionApi<Omit<OAuthProvider, keyof AuthSessionApi>>(base, {
    takeAuthorizationCode() {
      const code = capturedCode;
      capturedCode = undefined;
      return code;
    },

    // ---- OAuthClientProvider (the SDK bridge) ----
    get redirectUrl() {
      return sdkRedirectUrl;
    },
    get clientMetadata(): OAuthClientMetadata {
      return {
        client_name: options.clientName ?? 'oauth-discovery',
        redirect_uris: [sdkRedirectUrl],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        scope,
      };
    },
    // The SDK's type has no room for `undefined` here.
    ...(options.clientMetadataUrl === undefined ? {} : { clientMetadataUrl: options.clientMetadataUrl }),
    async state() {
      // The SDK builds the authorization URL right after asking for a state: refuse here without PKCE.
      assertPkceUsable(await session.discover());
      const state = createState();
      sdkState = state;
      return state;
    },
    async clientInformation(): Promise<OAuthClientInformationMixed> {
      const result = await session.discover();
      const { client } = await resolveClient({
        result,
        store,
        http,
        init,
        redirectUri: sdkRedirectUrl,
        scope: scope ?? result.scopes?.join(' '),
        options: clientOptions,
      });
      return {
        client_id: client.clientId,
        issuer: result.authorizationServer.issuer,
        client_secret: client.clientSecret,
        token_endpoint_auth_method: client.tokenEndpointAuthMethod,
      };
    },
    async saveClientInformation(info: OAuthClientInformationMixed) {
      const binding = issuerBinding((await session.discover()).authorizationServer);
      const redirectUris = 'redirect_uris' in info ? info.redirect_uris : undefined;
      await store.writeClient(binding, {
        clientId: info.client_id,
        clientSecret: info.client_secret,
        tokenEndpointAuthMethod:
          'token_endpoint_auth_method' in info ? info.token_endpoint_auth_method : undefined,
        redirectUris,
        source: redirectUris === undefined ? 'preregistered' : 'dynamic',
        registeredAt: Date.now(),
      });
    },
    async tokens() {
      // Nothing before the resource has challenged: authorization starts from its 401.
      if ((await session.currentToken()) === undefined) return undefined;
      const tokens = await session.storedTokens();
      return tokens === undefined
        ? undefined
        : toSdkTokens(tokens, (await session.discover()).authorizationServer.issuer);
    },
    async saveTokens(tokens: OAuthTokens) {
      const result = await session.discover();
      const now = Date.now();
      await store.writeTokens(storeKey(result), {
        accessToken: tokens.access_token,
        tokenType: tokens.token_type,
        obtainedAt: now,
        refreshToken: tokens.refresh_token,
        expiresAt: expiresAtFrom(tokens.expires_in, now),
        scope: tokens.scope,
        idToken: tokens.id_token,
      });
    },
    async redirectToAuthorization(sdkAuthorizationUrl: URL) {
      const discovered = await session.discover();
      const { metadata } = discovered.authorizationServer;
      const authorizationUrl = addExtraAuthorizationParameters(
        new URL(sdkAuthorizationUrl),
        discovered.hints.extraAuthorizationParameters,
      );
      const check = {
        expectedState: sdkState ?? '',
        issuer: metadata.issuer,
        issRequired: metadata.authorization_response_iss_parameter_supported === true,
        url: sdkRedirectUrl,
      };
      emit({
        type: 'authorization-started',
        url: authorizationUrl.href,
        redirectUri: sdkRedirectUrl,
        headless: options.headless === true,
      });
      if (options.headless === true) {
        capturedCode = processAuthorizationResponse(
          await followAuthorizationRedirects(authorizationUrl, sdkRedirectUrl, headlessPolicy(options, init)),
          check,
        ).code;
        return;
      }
      const server = await startCallbackServer({
        port: options.callbackPort || DEFAULT_HEADLESS_CALLBACK_PORT,
        timeoutMs: options.callbackTimeoutMs,
      });
      try {
        const waiting = server.waitForCode(check.expectedState, {
          issuer: check.issuer,
          required: check.issRequired,
        });
        waiting.catch(() => undefined);
        await options.openBrowser?.(authorizationUrl.href);
        capturedCode = (await waiting).code;
      } finally {
        await server.close();
      }
    },
    saveCodeVerifier(codeVerifier: string) {
      sdkVerifier = codeVerifier;
    },
    codeVerifier() {
      if (sdkVerifier === undefined) {
        throw new DiscoveryError(
          FlowErrorCodes.AUTHORIZATION_FAILED,
          `No PKCE code verifier saved for ${serverUrl}: the authorization code does not belong to an authorization started by this provider`,
          { url: serverUrl, expected: 'a code verifier from saveCodeVerifier()', actual: 'none' },
        );
      }
      return sdkVerifier;
    },
    async validateResourceURL() {
      const indicator = resourceIndicator(await session.discover());
      return indicator === undefined ? undefined : new URL(indicator);
    },
    async invalidateCredentials(what) {
      if (what === 'discovery' || what === 'all') session.resetDiscovery();
      if (what === 'verifier' || what === 'all') sdkVerifier = undefined;
      if (what === 'client' || what === 'all') {
        const binding = issuerBinding((await session.discover()).authorizationServer);
        const stored = await store.readClient(binding);
        if (stored?.source === 'dynamic') await store.deleteClient(binding);
      }
      // Tokens are never deleted on the SDK's say-so: they are marked, and the user is told to log in.
      if (what === 'tokens' || what === 'all')
        await session.markRefreshFailed('the SDK invalidated the tokens');
    },
    async discoveryState(): Promise<OAuthDiscoveryState> {
      return toSdkDiscoveryState(await session.discover());
    },
    saveDiscoveryState() {
      // Our pipeline's result is authoritative (and cached by the pipeline); nothing to keep.
    },
  });
}
