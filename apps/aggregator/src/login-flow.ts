import { DiscoveryError, type DiscoveryResult, ErrorCodes } from '@oauth-discovery/core';
import { storeKey, type TokenStore } from '@oauth-discovery/mcp';
import {
  authorizationParameters,
  tokenParameters,
  unwrapDiscoveryError,
} from '@oauth-discovery/openid-client';
import {
  authorizationCodeGrant,
  buildAuthorizationUrl,
  type Configuration,
  calculatePKCECodeChallenge,
  randomPKCECodeVerifier,
  randomState,
} from 'openid-client';
import type { ClientResolver, UpstreamClientSettings } from './clients.js';
import { toStoredTokens } from './tokens.js';

/** What {@link createLoginFlow} needs. */
export interface LoginFlowOptions {
  readonly clients: ClientResolver;
  readonly store: TokenStore;
  /** `<publicUrl>/oauth/callback`. */
  readonly redirectUri: string;
  /** How long a started login waits for its callback, in ms. */
  readonly ttlMs: number;
  readonly track: <T>(write: Promise<T>) => Promise<T>;
  readonly now?: () => number;
}

interface PendingLogin {
  readonly upstream: string;
  readonly result: DiscoveryResult;
  readonly configuration: Configuration;
  readonly verifier: string;
  readonly createdAt: number;
}

/** A started login: the URL to open and until when the callback is accepted. */
export interface StartedLogin {
  readonly url: string;
  readonly expiresAt: number;
}

/**
 * Authorization code + PKCE flows run by the aggregator itself with openid-client: `start` builds the
 * authorization URL (hints respected: PKCE refusal, `resource` omission; the issuer is recorded in the
 * store before the redirect), `finish` takes the callback, checks `state` (and, through openid-client,
 * RFC 9207 `iss`), exchanges the code and stores the tokens under the upstream's resource and issuer.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc7636
 * @see https://www.rfc-editor.org/rfc/rfc9207
 */
export function createLoginFlow(options: LoginFlowOptions) {
  const now = options.now ?? Date.now;
  const pending = new Map<string, PendingLogin>();

  function sweep(): void {
    // Expired logins stay a while so a late callback gets "expired", not "unknown".
    for (const [state, login] of pending)
      if (login.createdAt + 2 * options.ttlMs <= now()) pending.delete(state);
  }

  return {
    /** The callback URL logins use. */
    get redirectUri(): string {
      return options.redirectUri;
    },
    async start(
      upstream: string,
      result: DiscoveryResult,
      settings: UpstreamClientSettings,
    ): Promise<StartedLogin> {
      sweep();
      const { configuration } = await options.clients.resolve(result, settings);
      const verifier = randomPKCECodeVerifier();
      const state = randomState();
      const url = buildAuthorizationUrl(
        configuration,
        authorizationParameters(result, {
          redirectUri: options.redirectUri,
          codeChallenge: await calculatePKCECodeChallenge(verifier),
          state,
        }),
      );
      const createdAt = now();
      const scope = url.searchParams.get('scope');
      await options.track(
        options.store.writePending(storeKey(result), {
          state,
          codeVerifier: verifier,
          redirectUri: options.redirectUri,
          issuer: result.authorizationServer.issuer,
          resource: result.resource,
          ...(scope === null ? {} : { scope }),
          createdAt,
        }),
      );
      pending.set(state, { upstream, result, configuration, verifier, createdAt });
      return { url: url.href, expiresAt: createdAt + options.ttlMs };
    },

    /**
     * Finishes the login the callback belongs to.
     *
     * @throws {DiscoveryError} `STATE_MISMATCH` (no login with this `state`), `LOGIN_REQUIRED` (expired),
     *   `AUTHORIZATION_FAILED` (the server answered an error, or the response failed a check),
     *   `TOKEN_REQUEST_FAILED` (the code exchange was refused), or the transport's code (`NETWORK_ERROR`, …)
     *   when the token endpoint could not be reached.
     */
    async finish(query: URLSearchParams): Promise<{ readonly upstream: string }> {
      const state = query.get('state');
      const login = state === null ? undefined : pending.get(state);
      if (state === null || login === undefined) {
        throw new DiscoveryError(
          ErrorCodes.STATE_MISMATCH,
          `OAuth callback with ${state === null ? 'no state' : `unknown state ${JSON.stringify(state)}`}: no login in progress matches it; call auth_login again`,
          { url: options.redirectUri, expected: 'the state of a login in progress', actual: state },
        );
      }
      pending.delete(state);
      await options.track(options.store.deletePending(storeKey(login.result)));
      if (login.createdAt + options.ttlMs <= now()) {
        throw new DiscoveryError(
          ErrorCodes.LOGIN_REQUIRED,
          `The login for upstream ${login.upstream} expired (it waits ${Math.round(options.ttlMs / 1000)} s for the callback); call auth_login again`,
          {
            url: options.redirectUri,
            expected: `a callback within ${options.ttlMs} ms`,
            actual: now() - login.createdAt,
          },
        );
      }
      const error = query.get('error');
      if (error !== null) {
        const description = query.get('error_description');
        throw new DiscoveryError(
          ErrorCodes.AUTHORIZATION_FAILED,
          `The authorization server refused the login for upstream ${login.upstream}: ${error}${description ? ` (${description})` : ''}`,
          { url: login.result.authorizationServer.issuer, expected: 'an authorization code', actual: error },
        );
      }
      // openid-client takes redirect_uri from this URL: rebuild it on the registered callback, not the Host header.
      const current = new URL(options.redirectUri);
      current.search = query.toString();
      let response: Awaited<ReturnType<typeof authorizationCodeGrant>>;
      try {
        response = await authorizationCodeGrant(
          login.configuration,
          current,
          { pkceCodeVerifier: login.verifier, expectedState: state },
          tokenParameters(login.result),
        );
      } catch (cause) {
        const inner = unwrapDiscoveryError(cause);
        if (inner !== undefined) throw inner;
        const message = cause instanceof Error ? cause.message : String(cause);
        throw new DiscoveryError(
          // An OAuth error answer (RFC 6749 §5.2) is the token endpoint's refusal; anything else failed a check.
          typeof (cause as { error?: unknown }).error === 'string'
            ? ErrorCodes.TOKEN_REQUEST_FAILED
            : ErrorCodes.AUTHORIZATION_FAILED,
          `Login for upstream ${login.upstream} failed at ${login.result.authorizationServer.issuer}: ${message}`,
          {
            url:
              login.result.authorizationServer.metadata.token_endpoint ??
              login.result.authorizationServer.issuer,
            expected: 'a token response to the authorization code',
            actual: message,
            cause,
          },
        );
      }
      await options.track(options.store.writeTokens(storeKey(login.result), toStoredTokens(response, now())));
      return { upstream: login.upstream };
    },
  };
}

/** The flow {@link createLoginFlow} returns. */
export type LoginFlow = ReturnType<typeof createLoginFlow>;
