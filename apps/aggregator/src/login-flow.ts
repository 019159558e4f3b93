import { DiscoveryError, type DiscoveryResult, isDiscoveryError } from '@oauth-discovery/core';
import {
  bindingScope,
  buildAuthorizationUrl,
  createPkcePair,
  createState,
  exchangeAuthorizationCode,
  FlowErrorCodes,
  processAuthorizationResponse,
  storeKey,
} from '@oauth-discovery/mcp';
import type { Store } from '@oauth-discovery/store';
import type { ClientResolver, UpstreamClientSettings } from './clients.js';
import type { GatewayUser } from './gateway-auth.js';
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
 * Authorization code + PKCE flows run by the aggregator with the flow engine of `@oauth-discovery/mcp`:
 * `start` builds the authorization URL (the engine's rules: PKCE refusal, `resource`, extra parameters)
 * and stores the login — its user, upstream, issuer and PKCE verifier — under its `state` in the shared
 * store, so the callback may reach any instance, also after a restart; `finish` claims that record (one
 * compare-and-swap delete: a replayed callback finds nothing), checks the response (the engine's RFC 9207
 * `iss` check before its `error`), exchanges the code and stores the tokens for the user who started the
 * login, and no one else.
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
      const pkce = createPkcePair();
      const state = createState();
      const url = buildAuthorizationUrl(configuration, result, {
        redirectUri: options.redirectUri,
        state,
        codeChallenge: pkce.codeChallenge,
        scope: result.scopes?.join(' '),
      });
      const createdAt = now();
      const record: PendingLogin = {
        user,
        upstream,
        resource: result.resource,
        issuer: result.authorizationServer.issuer,
        scope: bindingScope(storeKey(result)),
        codeVerifier: pkce.codeVerifier,
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
     *   `ISSUER_MISMATCH` (RFC 9207 `iss`), `AUTHORIZATION_FAILED` (the server answered an error),
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
      const target = await targetOf(login);
      const key = storeKey(target.result);
      if (key.resource !== login.resource || bindingScope(key) !== login.scope) {
        throw new DiscoveryError(
          FlowErrorCodes.STATE_MISMATCH,
          `The authorization server of upstream ${login.upstream} changed since the login started (${login.issuer}); call auth_login again`,
          { url: options.redirectUri, expected: login.scope, actual: bindingScope(key) },
        );
      }
      const { metadata } = target.result.authorizationServer;
      let code: ReturnType<typeof processAuthorizationResponse>;
      try {
        // The engine's check: state, then RFC 9207 iss, and only then the server's error and its words.
        code = processAuthorizationResponse(query, {
          expectedState: state,
          issuer: metadata.issuer,
          issRequired: metadata.authorization_response_iss_parameter_supported === true,
          url: options.redirectUri,
        });
      } catch (error) {
        const refusal = isDiscoveryError(error, FlowErrorCodes.AUTHORIZATION_FAILED)
          ? (error.actual as { error?: string; error_description?: string | null } | undefined)
          : undefined;
        if (refusal?.error === undefined) throw error;
        throw new DiscoveryError(
          FlowErrorCodes.AUTHORIZATION_FAILED,
          `The authorization server refused the login for upstream ${login.upstream}: ${refusal.error}${refusal.error_description ? ` (${refusal.error_description})` : ''}`,
          { url: login.issuer, expected: 'an authorization code', actual: refusal.error, cause: error },
        );
      }
      const { configuration } = await options.clients.resolve(target.result, target.settings);
      const tokens = await exchangeAuthorizationCode(
        configuration,
        target.result,
        {
          code,
          state,
          redirectUri: options.redirectUri,
          codeVerifier: login.codeVerifier,
        },
        { now: now() },
      );
      await options.track(target.tokens.writeTokens(key, tokens));
      return { user: login.user, upstream: login.upstream };
    },
  };
}

/** The flow {@link createLoginFlow} returns. */
export type LoginFlow = ReturnType<typeof createLoginFlow>;
