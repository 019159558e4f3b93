import {
  type Discoverer,
  DiscoveryError,
  type DiscoveryResult,
  type HttpClient,
  type HttpRequestInit,
  isDiscoveryError,
} from '@oauth-discovery/core';
import type { DPoPKey } from './dpop/key.js';
import type { DPoPPolicy } from './dpop/options.js';
import { createSessionDPoP } from './dpop/session-keys.js';
import { tokensFresh } from './engine/index.js';
import { FlowErrorCodes } from './error-codes.js';
import type { McpAuthEventListener } from './events.js';
import {
  type FlowContext,
  type FrontChannelOptions,
  isRefreshRefusal,
  refreshStoredTokens,
  runAuthorization,
  storeKey,
} from './flow.js';
import type { GrantOptions } from './grants/options.js';
import { createGrantRunner, runsGrant } from './grants/runner.js';
import type { ClientOptions } from './oauth/registration.js';
import { scopeUnion, withoutUnlistedOfflineAccess } from './scope.js';
import type { StoredTokens, TokenStore } from './store/types.js';

/** The discovery a session runs: core's {@link Discoverer} (a pipeline, or anything with its `discover`). */
export type { Discoverer };

/** Settings of an OAuth session with one protected resource. */
export interface SessionSettings {
  readonly serverUrl: string;
  readonly discovery: Discoverer;
  readonly http: HttpClient;
  readonly init: HttpRequestInit;
  readonly store: TokenStore;
  readonly client: ClientOptions;
  readonly frontChannel: FrontChannelOptions;
  /** Scope override (CLI `--scope`); else the discovery's choice. */
  readonly scope: string | undefined;
  /** May the session start an authorization (browser or headless)? Else `LOGIN_REQUIRED`. */
  readonly interactive: boolean;
  /** Refresh this many seconds before `expiresAt`. */
  readonly refreshSkewSeconds: number;
  /** Most step-up authorizations (403 `insufficient_scope`) in one session. */
  readonly maxStepUps: number;
  /** Most authorizations in one session, the first one and step-ups together (MCP 2026-07-28: 3). */
  readonly maxAuthorizations?: number | undefined;
  readonly emit: McpAuthEventListener;
  /** A machine grant run instead of the authorization code flow (needs no user, so `interactive` does not apply). */
  readonly grant?: GrantOptions | undefined;
  /** DPoP-bound tokens (RFC 9449) for new grants; absent: Bearer (stored DPoP-bound tokens still work). */
  readonly dpop?: DPoPPolicy | undefined;
}

/** The OAuth state machine of one session: discovery, tokens, refresh, authorization, step-up. */
export interface Session {
  /** Discovers once per auth round (cached until a challenge starts a new round). */
  discover(): Promise<DiscoveryResult>;
  /** The last discovery result, if any. */
  current(): DiscoveryResult | undefined;
  /** Stored tokens of the current issuer, without refreshing. */
  storedTokens(): Promise<StoredTokens | undefined>;
  /** Tokens usable now: stored, refreshed before expiry, or a new authorization (when interactive). */
  ensureTokens(): Promise<StoredTokens>;
  /**
   * The access token to send now without starting an authorization: none before the resource has
   * challenged (authorization starts from its 401), else the stored one, refreshed before expiry.
   */
  currentToken(): Promise<string | undefined>;
  /**
   * The DPoP key the stored access token is bound to, `undefined` for a Bearer token: each request
   * with it carries a new proof of this key (RFC 9449 §7.1).
   */
  proofKey(): Promise<DPoPKey | undefined>;
  /** A new authorization, whatever is stored (`login`). */
  authorize(scope?: string): Promise<StoredTokens>;
  /**
   * Reacts to a 401/403 from the resource: re-discovers with its `WWW-Authenticate`, then refreshes,
   * re-authorizes or steps up. Resolves `true` when a retry with the new token makes sense.
   */
  handleChallenge(
    status: number,
    wwwAuthenticate: string | null,
    rejectedToken: string | undefined,
  ): Promise<boolean>;
  /** Marks the stored tokens as no longer refreshable (kept, never deleted). */
  markRefreshFailed(reason: string): Promise<void>;
  /** Forgets the discovery result so the next call discovers again. */
  resetDiscovery(): void;
}

function loginCommand(serverUrl: string): string {
  return `oauth-discovery login ${serverUrl}`;
}

/**
 * Whether tokens are still good: no expiry known, or not yet due for a refresh by the one freshness
 * rule (`refreshDueAt`: the skew is at most half the lifetime, with a floor on the delay), so a
 * short-lived token is not refreshed on every request.
 */
export function isFresh(tokens: StoredTokens, refreshSkewSeconds: number, now = Date.now()): boolean {
  return tokensFresh(tokens, refreshSkewSeconds * 1000, now);
}

/** Creates a {@link Session}. */
export function createSession(settings: SessionSettings): Session {
  let round: Promise<DiscoveryResult> | undefined;
  let result: DiscoveryResult | undefined;
  let stepUps = 0;
  let authorizations = 0;
  const maxAuthorizations = settings.maxAuthorizations ?? 3;
  let requestedScope: string | undefined;
  const dpop = createSessionDPoP(settings.store, settings.dpop);
  const grant = settings.grant;
  const grantRunner = grant === undefined ? undefined : createGrantRunner(grant);
  const usesGrant = (found: DiscoveryResult): boolean => grant !== undefined && runsGrant(grant, found);
  // One refresh or authorization at a time: concurrent requests (the transport's POST and its SSE GET)
  // share it, so a rotating refresh token is never presented twice.
  let renewing: Promise<StoredTokens> | undefined;
  const renew = (task: () => Promise<StoredTokens>): Promise<StoredTokens> => {
    renewing ??= task().finally(() => {
      renewing = undefined;
    });
    return renewing;
  };

  const discover = (challenge?: { header: string; status: number }): Promise<DiscoveryResult> => {
    if (challenge === undefined && round !== undefined) return round;
    const options =
      challenge === undefined
        ? {}
        : { challenge: challenge.header, challengeStatus: challenge.status, noCache: true };
    const first = result === undefined;
    const started = settings.discovery.discover(settings.serverUrl, options).then((found) => {
      result = found;
      settings.emit({ type: 'discovered', result: found, reason: first ? 'initial' : 'challenge' });
      return found;
    });
    round = started;
    started.catch(() => {
      if (round === started) round = undefined;
    });
    return started;
  };

  const flow = async (): Promise<FlowContext> => ({
    result: await discover(),
    store: settings.store,
    http: settings.http,
    init: settings.init,
    client: settings.client,
    frontChannel: settings.frontChannel,
    emit: settings.emit,
    dpop,
  });

  const loginRequired = (why: string, cause?: unknown): DiscoveryError =>
    new DiscoveryError(
      FlowErrorCodes.LOGIN_REQUIRED,
      `${why} Log in again: ${loginCommand(settings.serverUrl)}`,
      {
        url: settings.serverUrl,
        expected: 'usable tokens',
        actual: why,
        cause,
      },
    );

  const authorize = async (scope?: string): Promise<StoredTokens> => {
    const ctx = await flow();
    const listed = ctx.result.authorizationServer.metadata.scopes_supported;
    // A step-up's scope, else the caller's override (taken as given), else the discovery's choice.
    const chosen =
      scope !== undefined
        ? withoutUnlistedOfflineAccess(scope, listed)
        : (settings.scope ?? withoutUnlistedOfflineAccess(ctx.result.scopes?.join(' '), listed));
    requestedScope = chosen;
    authorizations += 1;
    if (grantRunner !== undefined && usesGrant(ctx.result)) return grantRunner.run(ctx, chosen);
    return runAuthorization(ctx, chosen);
  };

  const authorizeOrFail = async (why: string, scope?: string, cause?: unknown): Promise<StoredTokens> => {
    if (!settings.interactive && !usesGrant(await discover())) throw loginRequired(why, cause);
    if (authorizations >= maxAuthorizations) {
      throw new DiscoveryError(
        FlowErrorCodes.AUTHORIZATION_FAILED,
        `${why} Giving up after ${authorizations} authorizations in this session (the limit is ${maxAuthorizations}).`,
        {
          url: settings.serverUrl,
          expected: `at most ${maxAuthorizations} authorizations`,
          actual: authorizations,
          cause,
        },
      );
    }
    return authorize(scope);
  };

  const storedTokens = async (): Promise<StoredTokens | undefined> =>
    settings.store.readTokens(storeKey(await discover()));

  const refreshOrAuthorize = async (tokens: StoredTokens, why: string): Promise<StoredTokens> => {
    if (tokens.refreshToken === undefined || tokens.refreshFailed !== undefined) {
      const detail =
        tokens.refreshFailed === undefined
          ? ''
          : ` (the last refresh was refused: ${tokens.refreshFailed.error})`;
      return authorizeOrFail(`${why} and cannot be refreshed${detail}.`);
    }
    try {
      return await refreshStoredTokens(await flow(), tokens);
    } catch (error) {
      // A refused refresh (marked, kept) or nothing to refresh with: log in again. A server error is
      // not a verdict on the refresh token; it goes to the caller as is.
      if (isRefreshRefusal(error) || isDiscoveryError(error, FlowErrorCodes.LOGIN_REQUIRED)) {
        return authorizeOrFail(
          `The authorization server refused to refresh the token for ${settings.serverUrl}: ${error.message}. The stored tokens were kept.`,
          undefined,
          error,
        );
      }
      throw error;
    }
  };

  return {
    discover: () => discover(),
    current: () => result,
    storedTokens,
    async ensureTokens() {
      const tokens = await storedTokens();
      if (tokens === undefined) {
        const issuer = (await discover()).authorizationServer.issuer;
        return renew(() =>
          authorizeOrFail(`Not logged in to ${settings.serverUrl} (authorization server ${issuer}).`),
        );
      }
      if (renewing !== undefined) return renewing;
      if (isFresh(tokens, settings.refreshSkewSeconds)) return tokens;
      return renew(() =>
        refreshOrAuthorize(tokens, `The access token for ${settings.serverUrl} expires soon`),
      );
    },
    async currentToken() {
      if (round === undefined) return undefined;
      const tokens = await storedTokens();
      if (tokens === undefined) return undefined;
      if (renewing !== undefined) return (await renewing).accessToken;
      if (isFresh(tokens, settings.refreshSkewSeconds)) return tokens.accessToken;
      if (tokens.refreshToken === undefined || tokens.refreshFailed !== undefined) return tokens.accessToken;
      return (
        await renew(() =>
          refreshOrAuthorize(tokens, `The access token for ${settings.serverUrl} expires soon`),
        )
      ).accessToken;
    },
    async proofKey() {
      if (round === undefined) return undefined;
      const tokens = await storedTokens();
      return tokens === undefined ? undefined : dpop.keyOfTokens(await discover(), tokens);
    },
    authorize,
    async handleChallenge(status, wwwAuthenticate, rejectedToken) {
      const found = await discover(
        wwwAuthenticate === null ? undefined : { header: wwwAuthenticate, status },
      );
      const challenge = found.challenge;
      if (status === 403) {
        if (challenge?.error !== 'insufficient_scope') return false;
        stepUps += 1;
        const scope = scopeUnion(requestedScope, (await storedTokens())?.scope, challenge.scope?.join(' '));
        if (stepUps > settings.maxStepUps || authorizations >= maxAuthorizations) {
          throw new DiscoveryError(
            FlowErrorCodes.STEP_UP_LIMIT,
            `${settings.serverUrl} still answers 403 insufficient_scope (wants "${challenge.scope?.join(' ') ?? ''}") after ${stepUps - 1} step-up authorizations (${authorizations} in all); giving up`,
            {
              url: settings.serverUrl,
              expected: `success within ${settings.maxStepUps} step-ups and ${maxAuthorizations} authorizations`,
              actual: challenge.params,
            },
          );
        }
        settings.emit({ type: 'step-up', scope: scope ?? '', count: stepUps, limit: settings.maxStepUps });
        await renew(() =>
          authorizeOrFail(`${settings.serverUrl} needs a larger scope (${scope ?? ''}).`, scope),
        );
        return true;
      }
      if (renewing !== undefined) {
        await renewing;
        return true;
      }
      const tokens = await storedTokens();
      // Stored tokens first: a token the resource has not rejected yet is tried before anything else.
      if (
        tokens !== undefined &&
        tokens.accessToken !== rejectedToken &&
        isFresh(tokens, settings.refreshSkewSeconds)
      )
        return true;
      await renew(() =>
        tokens === undefined
          ? authorizeOrFail(`Not logged in to ${settings.serverUrl}.`)
          : refreshOrAuthorize(tokens, `${settings.serverUrl} rejected the access token`),
      );
      return true;
    },
    async markRefreshFailed(reason) {
      const found = await discover();
      const tokens = await settings.store.readTokens(storeKey(found));
      if (tokens === undefined) return;
      await settings.store.writeTokens(storeKey(found), {
        ...tokens,
        refreshFailed: { at: Date.now(), error: 'invalid_grant', message: reason },
      });
    },
    resetDiscovery() {
      round = undefined;
    },
  };
}
