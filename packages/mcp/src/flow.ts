import {
  DiscoveryError,
  type DiscoveryResult,
  ErrorCodes,
  type HttpClient,
  type HttpRequestInit,
  isDiscoveryError,
} from '@oauth-discovery/core';
import { startCallbackServer } from './callback-server.js';
import { FlowErrorCodes } from './error-codes.js';
import type { McpAuthEventListener } from './events.js';
import { followAuthorizationRedirects, type HeadlessOptions } from './headless.js';
import {
  type AuthorizationCode,
  buildAuthorizationUrl,
  processAuthorizationResponse,
} from './oauth/authorization.js';
import { assertPkceUsable, createPkcePair, createState } from './oauth/pkce.js';
import { type ClientOptions, resolveClient } from './oauth/registration.js';
import { buildTokenRequest, requestTokens, selectTokenEndpointAuthMethod } from './oauth/token.js';
import { resourceIndicator } from './resource-indicator.js';
import { issuerBinding, storeKey } from './store/binding.js';
import type { StoredClient, StoredTokens, TokenStore } from './store/types.js';

/** Port of the redirect URI in headless mode when none is given: nothing listens there, the redirect is read, not followed. */
export const DEFAULT_HEADLESS_CALLBACK_PORT = 8976;

/** How the front channel (the user's approval) happens. */
export interface FrontChannelOptions {
  /** Follow the authorization redirects without a browser (servers that approve without a person). */
  readonly headless?: boolean | undefined;
  /** Port of the loopback redirect URI; `0` or absent picks a free one (headless: {@link DEFAULT_HEADLESS_CALLBACK_PORT}). */
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
    ...(frontChannel.callbackTimeoutMs === undefined ? {} : { deadlineMs: frontChannel.callbackTimeoutMs }),
    ...(frontChannel.allowPrivateNetwork === undefined
      ? {}
      : { allowPrivateNetwork: frontChannel.allowPrivateNetwork }),
    ...(init.allowAddressRanges === undefined ? {} : { allowAddressRanges: init.allowAddressRanges }),
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
}

export { storeKey } from './store/binding.js';

function requireEndpoint(
  result: DiscoveryResult,
  field: 'authorization_endpoint' | 'token_endpoint',
): string {
  const value = result.authorizationServer.metadata[field];
  if (value === undefined) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_METADATA,
      `Authorization server ${result.authorizationServer.issuer} publishes no ${field}; cannot run the authorization code flow`,
      {
        url: result.authorizationServer.metadataUrl ?? result.authorizationServer.issuer,
        expected: field,
        actual: undefined,
      },
    );
  }
  return value;
}

async function frontChannel(
  ctx: FlowContext,
  build: (redirectUri: string) => Promise<{ url: URL; state: string }>,
): Promise<{ code: AuthorizationCode; redirectUri: string }> {
  const { metadata } = ctx.result.authorizationServer;
  const issuerCheck = {
    issuer: metadata.issuer,
    required: metadata.authorization_response_iss_parameter_supported === true,
  };
  if (ctx.frontChannel.headless === true) {
    const redirectUri = `http://127.0.0.1:${ctx.frontChannel.callbackPort || DEFAULT_HEADLESS_CALLBACK_PORT}/callback`;
    const { url, state } = await build(redirectUri);
    ctx.emit({ type: 'authorization-started', url: url.href, redirectUri, headless: true });
    const params = await followAuthorizationRedirects(url, redirectUri, {
      ...headlessPolicy(ctx.frontChannel, ctx.init),
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    });
    const code = processAuthorizationResponse(params, {
      expectedState: state,
      issuer: issuerCheck.issuer,
      issRequired: issuerCheck.required,
      url: redirectUri,
    });
    return { code, redirectUri };
  }
  const server = await startCallbackServer({
    port: ctx.frontChannel.callbackPort ?? 0,
    ...(ctx.frontChannel.callbackTimeoutMs === undefined
      ? {}
      : { timeoutMs: ctx.frontChannel.callbackTimeoutMs }),
  });
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
    return { code: await waiting, redirectUri: server.redirectUri };
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
  const key = storeKey(result);
  const resource = resourceIndicator(result);
  const pkce = createPkcePair();
  let client: StoredClient | undefined;

  const { code, redirectUri } = await frontChannel(ctx, async (redirectUri) => {
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
      ...(scope === undefined ? {} : { scope }),
      createdAt: Date.now(),
    });
    const url = buildAuthorizationUrl({
      authorizationEndpoint,
      clientId: resolved.client.clientId,
      redirectUri,
      state,
      codeChallenge: pkce.codeChallenge,
      scope,
      resource,
      extraParameters: result.hints.extraAuthorizationParameters,
    });
    return { url, state };
  });
  if (client === undefined) {
    throw new DiscoveryError(
      FlowErrorCodes.AUTHORIZATION_FAILED,
      'No client was chosen before the authorization request',
      {
        url: authorizationEndpoint,
      },
    );
  }

  const request = buildTokenRequest({
    tokenEndpoint,
    grant: {
      grant_type: 'authorization_code',
      code: code.code,
      redirect_uri: redirectUri,
      code_verifier: pkce.codeVerifier,
    },
    client,
    method: selectTokenEndpointAuthMethod(
      client,
      result.authorizationServer.metadata.token_endpoint_auth_methods_supported,
    ),
    resource,
  });
  const tokens = await requestTokens(ctx.http, request, { requestedScope: scope, init: ctx.init });
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

/**
 * Whether a refresh failed because the authorization server refused it (HTTP 4xx, RFC 6749 §5.2:
 * `invalid_grant`, `invalid_client`, …) rather than for a passing reason (5xx, a malformed answer).
 * Only a refusal marks the stored refresh token as no longer worth trying.
 */
export function isRefreshRefusal(error: unknown): error is DiscoveryError {
  if (!isDiscoveryError(error, FlowErrorCodes.TOKEN_REQUEST_FAILED)) return false;
  const status = (error.actual as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Refreshes stored tokens (RFC 6749 §6) with the same `resource` as the authorization. On success
 * the new tokens are stored (the old refresh token is kept when no new one came). When the server
 * refuses (4xx), the stored tokens are kept — refresh token included — and marked `refreshFailed`,
 * and the `TOKEN_REQUEST_FAILED` error is rethrown; a 5xx, a malformed answer or a transport failure
 * leaves the store untouched, so the next run tries the refresh token again.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export async function refreshStoredTokens(ctx: FlowContext, tokens: StoredTokens): Promise<StoredTokens> {
  const { result } = ctx;
  const key = storeKey(result);
  const client = await ctx.store.readClient(issuerBinding(result.authorizationServer));
  if (tokens.refreshToken === undefined || client === undefined) {
    throw new DiscoveryError(
      FlowErrorCodes.LOGIN_REQUIRED,
      `No ${tokens.refreshToken === undefined ? 'refresh token' : 'client registration'} stored for ${key.resource} at ${key.issuer}; log in again`,
      { url: key.resource, expected: 'a refresh token and a client registration', actual: 'none' },
    );
  }
  const request = buildTokenRequest({
    tokenEndpoint: requireEndpoint(result, 'token_endpoint'),
    grant: { grant_type: 'refresh_token', refresh_token: tokens.refreshToken },
    client,
    method: selectTokenEndpointAuthMethod(
      client,
      result.authorizationServer.metadata.token_endpoint_auth_methods_supported,
    ),
    resource: resourceIndicator(result),
  });
  try {
    const fresh = await requestTokens(ctx.http, request, {
      requestedScope: tokens.scope,
      previousRefreshToken: tokens.refreshToken,
      init: ctx.init,
    });
    await ctx.store.writeTokens(key, fresh);
    ctx.emit({ type: 'refreshed', issuer: key.issuer });
    return fresh;
  } catch (error) {
    if (isRefreshRefusal(error)) {
      const oauthError = (error.actual as { error?: string } | undefined)?.error ?? 'refused';
      await ctx.store.writeTokens(key, {
        ...tokens,
        refreshFailed: { at: Date.now(), error: oauthError, message: error.message },
      });
      ctx.emit({ type: 'refresh-failed', issuer: key.issuer, error });
    }
    throw error;
  }
}
