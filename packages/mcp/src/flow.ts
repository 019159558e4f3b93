import {
  DiscoveryError,
  type DiscoveryResult,
  type HttpClient,
  type HttpRequestInit,
} from '@oauth-discovery/core';
import { DEFAULT_CALLBACK_PORT, startCallbackServer } from './callback-server.js';
import { bindTokens } from './dpop/bind.js';
import type { SessionDPoP } from './dpop/session-keys.js';
import {
  type AuthorizationCode,
  assertPkceUsable,
  buildAuthorizationUrl,
  createPkcePair,
  createState,
  engineConfiguration,
  exchangeAuthorizationCode,
  isRefreshRefusal,
  processAuthorizationResponse,
  refreshTokens,
  requireEndpoint,
} from './engine/index.js';
import { FlowErrorCodes } from './error-codes.js';
import type { McpAuthEventListener } from './events.js';
import { followAuthorizationRedirects, type HeadlessOptions } from './headless.js';
import { type ClientOptions, resolveClient } from './oauth/registration.js';
import { issuerBinding, storeKey } from './store/binding.js';
import type { StoredClient, StoredTokens, TokenStore } from './store/types.js';

/**
 * Port of the redirect URI in headless mode when none is given: nothing listens there, the redirect is
 * read, not followed. The same as the browser flow's {@link DEFAULT_CALLBACK_PORT}.
 *
 * @deprecated Use {@link DEFAULT_CALLBACK_PORT}.
 */
export const DEFAULT_HEADLESS_CALLBACK_PORT = DEFAULT_CALLBACK_PORT;

/** How the front channel (the user's approval) happens. */
export interface FrontChannelOptions {
  /** Follow the authorization redirects without a browser (servers that approve without a person). */
  readonly headless?: boolean | undefined;
  /**
   * Port of the loopback redirect URI. Absent: {@link DEFAULT_CALLBACK_PORT} (8976), or a free one when
   * that is taken (event `callback-port-taken`; the new redirect URI needs a new registration). `0`: a
   * free one (headless: 8976).
   */
  readonly callbackPort?: number | undefined;
  /** How long to wait for the browser, in ms (default 300000); in headless mode, the deadline of every hop together (default 60000). */
  readonly callbackTimeoutMs?: number | undefined;
  /** Opens the authorization URL in a browser. Without it, the URL is only announced (event `authorization-started`). */
  readonly openBrowser?: ((url: string) => void | Promise<void>) | undefined;
  /** Let headless hops reach private addresses (as the provider option of that name does for every request). */
  readonly allowPrivateNetwork?: boolean | undefined;
}

/** The SSRF policy of the headless hops (the same as for the token and registration requests) and their deadline. */
export function headlessPolicy(
  frontChannel: FrontChannelOptions,
  init: HttpRequestInit,
): Pick<HeadlessOptions, 'allowPrivateNetwork' | 'allowAddressRanges' | 'deadlineMs'> {
  return {
    // The front channel's time limit bounds the headless hops too (a trickling page included).
    deadlineMs: frontChannel.callbackTimeoutMs,
    allowPrivateNetwork: frontChannel.allowPrivateNetwork,
    allowAddressRanges: init.allowAddressRanges,
  };
}

/** Everything one authorization or refresh needs. */
export interface FlowContext {
  readonly result: DiscoveryResult;
  readonly store: TokenStore;
  readonly http: HttpClient;
  /** Per-request options for token and registration requests (e.g. `allowAddressRanges`). */
  readonly init: HttpRequestInit;
  readonly client: ClientOptions;
  readonly frontChannel: FrontChannelOptions;
  readonly emit: McpAuthEventListener;
  readonly signal?: AbortSignal | undefined;
  /** The session's DPoP keys (RFC 9449): token requests carry a proof when it gives a key. */
  readonly dpop?: SessionDPoP | undefined;
}

export { storeKey } from './store/binding.js';

async function frontChannel(
  ctx: FlowContext,
  build: (redirectUri: string) => Promise<{ url: URL; state: string }>,
): Promise<{ code: AuthorizationCode; redirectUri: string; state: string }> {
  const { metadata } = ctx.result.authorizationServer;
  const issuerCheck = {
    issuer: metadata.issuer,
    required: metadata.authorization_response_iss_parameter_supported === true,
  };
  if (ctx.frontChannel.headless === true) {
    const redirectUri = `http://127.0.0.1:${ctx.frontChannel.callbackPort || DEFAULT_CALLBACK_PORT}/callback`;
    const { url, state } = await build(redirectUri);
    ctx.emit({ type: 'authorization-started', url: url.href, redirectUri, headless: true });
    const params = await followAuthorizationRedirects(url, redirectUri, {
      ...headlessPolicy(ctx.frontChannel, ctx.init),
      signal: ctx.signal,
    });
    const code = processAuthorizationResponse(params, {
      expectedState: state,
      issuer: issuerCheck.issuer,
      issRequired: issuerCheck.required,
      url: redirectUri,
    });
    return { code, redirectUri, state };
  }
  // A stable redirect URI lets the next login reuse the client registered for it.
  const server = await startCallbackServer({
    port: ctx.frontChannel.callbackPort ?? DEFAULT_CALLBACK_PORT,
    freePortIfTaken: ctx.frontChannel.callbackPort === undefined,
    timeoutMs: ctx.frontChannel.callbackTimeoutMs,
  });
  if (server.takenPort !== undefined) {
    ctx.emit({ type: 'callback-port-taken', port: server.takenPort, redirectUri: server.redirectUri });
  }
  try {
    const { url, state } = await build(server.redirectUri);
    const waiting = server.waitForCode(state, issuerCheck);
    // Settled while the browser is still being opened: handled below, not an unhandled rejection.
    waiting.catch(() => undefined);
    ctx.emit({
      type: 'authorization-started',
      url: url.href,
      redirectUri: server.redirectUri,
      headless: false,
    });
    await ctx.frontChannel.openBrowser?.(url.href);
    return { code: await waiting, redirectUri: server.redirectUri, state };
  } finally {
    await server.close();
  }
}

/**
 * One complete authorization: PKCE check, client (registration order), PKCE pair and `state`
 * recorded with the issuer before the redirect, front channel (browser + loopback callback, or
 * headless), `state` / `error` / RFC 9207 `iss` checks, code exchange with the RFC 8707 `resource`,
 * tokens stored. Returns the new tokens.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-flow-steps
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
async function authorizeOnce(ctx: FlowContext, scope: string | undefined): Promise<StoredTokens> {
  const { result } = ctx;
  assertPkceUsable(result);
  const authorizationEndpoint = requireEndpoint(result, 'authorization_endpoint');
  const tokenEndpoint = requireEndpoint(result, 'token_endpoint');
  // Before the browser opens: no algorithm in common with the server fails now, not after the login.
  const dpopKey = await ctx.dpop?.keyForGrant(result);
  const key = storeKey(result);
  const pkce = createPkcePair();
  let client: StoredClient | undefined;

  const { code, redirectUri, state } = await frontChannel(ctx, async (redirectUri) => {
    const resolved = await resolveClient({
      result,
      store: ctx.store,
      http: ctx.http,
      init: ctx.init,
      redirectUri,
      scope,
      options: ctx.client,
    });
    client = resolved.client;
    ctx.emit({
      type: 'client',
      issuer: key.issuer,
      clientId: resolved.client.clientId,
      source: resolved.client.source,
      fresh: resolved.fresh,
    });
    const state = createState();
    await ctx.store.writePending(key, {
      state,
      codeVerifier: pkce.codeVerifier,
      redirectUri,
      issuer: key.issuer,
      resource: key.resource,
      scope,
      createdAt: Date.now(),
    });
    const url = buildAuthorizationUrl(engineConfiguration(result, resolved.client, ctx), result, {
      redirectUri,
      state,
      codeChallenge: pkce.codeChallenge,
      scope,
    });
    return { url, state };
  });
  if (client === undefined) {
    throw new DiscoveryError(
      FlowErrorCodes.AUTHORIZATION_FAILED,
      'No client was chosen before the authorization request',
      { url: authorizationEndpoint },
    );
  }
  const configuration = engineConfiguration(result, client, ctx);
  const tokens = bindTokens(
    await exchangeAuthorizationCode(
      configuration,
      result,
      { code, state, redirectUri, codeVerifier: pkce.codeVerifier },
      { dpop: dpopKey && ctx.dpop?.handle(configuration, dpopKey), requestedScope: scope },
    ),
    dpopKey,
    tokenEndpoint,
  );
  await ctx.store.writeTokens(key, tokens);
  ctx.emit({ type: 'authorized', issuer: key.issuer, scope: tokens.scope });
  return tokens;
}

/**
 * Runs one complete authorization (see `authorizeOnce` above for the steps) and removes the in-flight
 * record (state, PKCE verifier) afterwards, whether it succeeded or not.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-flow-steps
 */
export async function runAuthorization(ctx: FlowContext, scope: string | undefined): Promise<StoredTokens> {
  try {
    return await authorizeOnce(ctx, scope);
  } finally {
    await ctx.store.deletePending(storeKey(ctx.result));
  }
}

export { isRefreshRefusal } from './engine/index.js';

/**
 * Refreshes stored tokens (RFC 6749 §6) with the engine's `refreshTokens`, which keeps the rotation
 * rule: the new tokens (the old refresh token kept when no new one came) are stored before they are
 * returned; when the server refuses (4xx), the stored tokens are kept — refresh token included — and
 * marked `refreshFailed`, and the `TOKEN_REQUEST_FAILED` error is rethrown; a 5xx, a malformed answer
 * or a transport failure leaves the store untouched, so the next run tries the refresh token again.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export async function refreshStoredTokens(ctx: FlowContext, tokens: StoredTokens): Promise<StoredTokens> {
  const { result } = ctx;
  const key = storeKey(result);
  const client = await ctx.store.readClient(issuerBinding(result.authorizationServer));
  const refreshToken = tokens.refreshToken;
  if (refreshToken === undefined || client === undefined) {
    throw new DiscoveryError(
      FlowErrorCodes.LOGIN_REQUIRED,
      `No ${refreshToken === undefined ? 'refresh token' : 'client registration'} stored for ${key.resource} at ${key.issuer}; log in again`,
      { url: key.resource, expected: 'a refresh token and a client registration', actual: 'none' },
    );
  }
  // DPoP-bound tokens are refreshed with the key they are bound to (a public client's refresh token
  // is bound to it too, RFC 9449 §5), whatever the session's dpop option says.
  const dpopKey = await ctx.dpop?.keyOfTokens(result, tokens);
  const configuration = engineConfiguration(result, client, ctx);
  const tokenEndpoint = requireEndpoint(result, 'token_endpoint');
  try {
    const fresh = await refreshTokens(
      configuration,
      result,
      { ...tokens, refreshToken },
      {
        async save(next) {
          // The engine checked the token type; a rotated refresh token of a refused answer comes here too.
          const bound = bindTokens(next, dpopKey, tokenEndpoint);
          await ctx.store.writeTokens(key, bound);
          return bound;
        },
      },
      { dpop: dpopKey && ctx.dpop?.handle(configuration, dpopKey) },
    );
    ctx.emit({ type: 'refreshed', issuer: key.issuer });
    return fresh;
  } catch (error) {
    if (isRefreshRefusal(error)) ctx.emit({ type: 'refresh-failed', issuer: key.issuer, error });
    throw error;
  }
}
