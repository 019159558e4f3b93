import { DiscoveryError, type DiscoveryResult } from '@oauth-discovery/core';
import { bindingScope, FlowErrorCodes, storeKey } from '@oauth-discovery/mcp';
import {
  authorizationParameters,
  tokenParameters,
  unwrapDiscoveryError,
} from '@oauth-discovery/openid-client';
import type { Store } from '@oauth-discovery/store';
import {
  authorizationCodeGrant,
  buildAuthorizationUrl,
  calculatePKCECodeChallenge,
  randomPKCECodeVerifier,
  randomState,
} from 'openid-client';
import type { ClientResolver, UpstreamClientSettings } from './clients.js';
import type { GatewayUser } from './gateway-auth.js';
import { toStoredTokens } from './tokens.js';
import type { UserTokenStore } from './user-store.js';

/** What {@link createLoginFlow} needs. */
export interface LoginFlowOptions {
  readonly clients: ClientResolver;
  /** The shared (encrypted) store: logins in progress live there, so any instance finishes them. */
  readonly store: Store;
  /** `<publicUrl>/oauth/callback`. */
  readonly redirectUri: string;
  /** How long a started login waits for its callback, in ms. */
  readonly ttlMs: number;
  readonly track: <T>(write: Promise<T>) => Promise<T>;
  readonly now?: () => number;
}

/** A login in progress as stored under `pending/<state>` (the value is encrypted: it holds the PKCE verifier). */
export interface PendingLogin {
  /** The aggregator user who started it: only their tokens are written when it finishes. */
  readonly user: GatewayUser;
  readonly upstream: string;
  readonly resource: string;
  /** The authorization server's issuer, recorded before the redirect. */
  readonly issuer: string;
  /** `bindingScope` of the upstream's store key when the login started (verified issuer or not). */
  readonly scope: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  readonly createdAt: number;
}

/** What finishing a login needs from the user's upstream, on whichever instance the callback lands. */
export interface LoginTarget {
  readonly result: DiscoveryResult;
  readonly settings: UpstreamClientSettings;
  readonly tokens: UserTokenStore;
}

/** A started login: the URL to open and until when the callback is accepted. */
export interface StartedLogin {
  readonly url: string;
  readonly expiresAt: number;
}

const pendingKey = (state: string) => `pending/${state}`;

/**
 * Authorization code + PKCE flows run by the aggregator itself with openid-client: `start` builds the
 * authorization URL (hints respected: PKCE refusal, `resource` omission) and stores the login — its
 * user, upstream, issuer and PKCE verifier — under its `state` in the shared store, so the callback may
 * reach any instance, also after a restart; `finish` claims that record (one compare-and-swap delete:
 * a replayed callback finds nothing), checks `state` (and, through openid-client, RFC 9207 `iss`),
 * exchanges the code and stores the tokens for the user who started the login, and no one else.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc7636
 * @see https://www.rfc-editor.org/rfc/rfc9207
 */
export function createLoginFlow(options: LoginFlowOptions) {
  const now = options.now ?? Date.now;

  return {
    /** The callback URL logins use. */
    get redirectUri(): string {
      return options.redirectUri;
    },
    async start(
      user: GatewayUser,
      upstream: string,
      result: DiscoveryResult,
      settings: UpstreamClientSettings,
    ): Promise<StartedLogin> {
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
      const record: PendingLogin = {
        user,
        upstream,
        resource: result.resource,
        issuer: result.authorizationServer.issuer,
        scope: bindingScope(storeKey(result)),
        codeVerifier: verifier,
        redirectUri: options.redirectUri,
        createdAt,
      };
      // Kept twice the lifetime, so a late callback hears "expired", not "unknown".
      await options.track(
        options.store.set(pendingKey(state), JSON.stringify(record), { ttlMs: 2 * options.ttlMs }),
      );
      return { url: url.href, expiresAt: createdAt + options.ttlMs };
    },

    /**
     * Finishes the login the callback belongs to, for the user who started it.
     *
     * @throws {DiscoveryError} `STATE_MISMATCH` (no login with this `state`, already finished, or the
     *   upstream's authorization server changed since), `LOGIN_REQUIRED` (expired),
     *   `AUTHORIZATION_FAILED` (the server answered an error, or the response failed a check),
     *   `TOKEN_REQUEST_FAILED` (the code exchange was refused), or the transport's code (`NETWORK_ERROR`, …)
     *   when the token endpoint could not be reached.
     */
    async finish(
      query: URLSearchParams,
      targetOf: (login: PendingLogin) => Promise<LoginTarget>,
    ): Promise<{ readonly user: GatewayUser; readonly upstream: string }> {
      const state = query.get('state');
      const stored = state === null || state === '' ? undefined : await options.store.get(pendingKey(state));
      // Claimed by a compare-and-swap delete: of two callbacks with one state (a replay, two
      // instances), exactly one goes on.
      const claimed =
        stored !== undefined &&
        state !== null &&
        (await options.track(options.store.delete(pendingKey(state), { ifVersion: stored.version }))).ok;
      if (state === null || stored === undefined || !claimed) {
        throw new DiscoveryError(
          FlowErrorCodes.STATE_MISMATCH,
          `OAuth callback with ${state === null ? 'no state' : `unknown state ${JSON.stringify(state)}`}: no login in progress matches it; call auth_login again`,
          { url: options.redirectUri, expected: 'the state of a login in progress', actual: state },
        );
      }
      const login = JSON.parse(stored.value) as PendingLogin;
      if (login.createdAt + options.ttlMs <= now()) {
        throw new DiscoveryError(
          FlowErrorCodes.LOGIN_REQUIRED,
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
          FlowErrorCodes.AUTHORIZATION_FAILED,
          `The authorization server refused the login for upstream ${login.upstream}: ${error}${description ? ` (${description})` : ''}`,
          { url: login.issuer, expected: 'an authorization code', actual: error },
        );
      }
      const target = await targetOf(login);
      const key = storeKey(target.result);
      if (key.resource !== login.resource || bindingScope(key) !== login.scope) {
        throw new DiscoveryError(
          FlowErrorCodes.STATE_MISMATCH,
          `The authorization server of upstream ${login.upstream} changed since the login started (${login.issuer}); call auth_login again`,
          { url: options.redirectUri, expected: login.scope, actual: bindingScope(key) },
        );
      }
      const { configuration } = await options.clients.resolve(target.result, target.settings);
      // openid-client takes redirect_uri from this URL: rebuild it on the registered callback, not the Host header.
      const current = new URL(options.redirectUri);
      current.search = query.toString();
      let response: Awaited<ReturnType<typeof authorizationCodeGrant>>;
      try {
        response = await authorizationCodeGrant(
          configuration,
          current,
          { pkceCodeVerifier: login.codeVerifier, expectedState: state },
          tokenParameters(target.result),
        );
      } catch (cause) {
        const inner = unwrapDiscoveryError(cause);
        if (inner !== undefined) throw inner;
        const message = cause instanceof Error ? cause.message : String(cause);
        throw new DiscoveryError(
          // An OAuth error answer (RFC 6749 §5.2) is the token endpoint's refusal; anything else failed a check.
          typeof (cause as { error?: unknown }).error === 'string'
            ? FlowErrorCodes.TOKEN_REQUEST_FAILED
            : FlowErrorCodes.AUTHORIZATION_FAILED,
          `Login for upstream ${login.upstream} failed at ${login.issuer}: ${message}`,
          {
            url: target.result.authorizationServer.metadata.token_endpoint ?? login.issuer,
            expected: 'a token response to the authorization code',
            actual: message,
            cause,
          },
        );
      }
      await options.track(target.tokens.writeTokens(key, toStoredTokens(response, now())));
      return { user: login.user, upstream: login.upstream };
    },
  };
}

/** The flow {@link createLoginFlow} returns. */
export type LoginFlow = ReturnType<typeof createLoginFlow>;
