import { DiscoveryError, type DiscoveryResult } from '@oauth-discovery/core';
import { safeText } from '@oauth-discovery/core/trace';
import {
  bindingScope,
  FlowErrorCodes,
  isRefreshRefusal,
  issuerBinding,
  refreshDueAt,
  refreshTokens,
  type StoredTokens,
  type StoreKey,
  storeKey,
  tokensFresh,
} from '@oauth-discovery/mcp';
import type { ClientResolver } from './clients.js';
import type { UserTokenStore } from './user-store.js';

/** How long one refresh may hold the fleet-wide lock of a token (longer than its request timeout). */
const REFRESH_LEASE_MS = 30_000;

/** What {@link createTokenKeeper} needs. */
export interface TokenKeeperOptions {
  readonly store: UserTokenStore;
  readonly clients: ClientResolver;
  /** Refresh this long before expiry, in ms. */
  readonly refreshSkewMs: number;
  /** Tracks store writes so shutdown can wait for them. */
  readonly track: <T>(write: Promise<T>) => Promise<T>;
  readonly now?: () => number;
}

function loginRequired(result: DiscoveryResult, why: string, cause?: unknown): DiscoveryError {
  return new DiscoveryError(
    FlowErrorCodes.LOGIN_REQUIRED,
    `No usable token for ${result.resource} at ${result.authorizationServer.issuer}: ${why}; call auth_login`,
    { url: result.resource, expected: 'a live access token or a working refresh token', actual: why, cause },
  );
}

/**
 * Access tokens per upstream and issuer (the mcp package's store key `{ resource, issuer }`), refreshed
 * by the flow engine of `@oauth-discovery/mcp` before they expire. One refresh per key at a time. A refused refresh (an OAuth
 * error, HTTP 4xx) is recorded in the store (`refreshFailed`, the refresh token is kept) and surfaces
 * as `LOGIN_REQUIRED`; a server that could not answer leaves the tokens as they are and surfaces as its
 * own error (`NETWORK_ERROR`, `TIMEOUT`, `TOKEN_REQUEST_FAILED`, …), so the upstream retries.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function createTokenKeeper(options: TokenKeeperOptions) {
  const now = options.now ?? Date.now;
  const refreshing = new Map<string, Promise<StoredTokens>>();
  const flightKey = (key: StoreKey) => `${key.resource}\n${bindingScope(key)}`;

  /**
   * Refreshes once across the fleet: under the lock of these tokens, read them again — when another
   * holder (another instance) already replaced the ones we saw, take theirs — else refresh and write
   * with compare-and-swap; a writer that loses the swap re-reads the winner's tokens, never overwrites.
   */
  async function refresh(result: DiscoveryResult, seen: StoredTokens, force: boolean): Promise<StoredTokens> {
    const key = storeKey(result);
    const running = refreshing.get(flightKey(key));
    if (running) return running;
    const task = options.store.withTokenLock(key, REFRESH_LEASE_MS, async () => {
      const current = await options.store.readTokensVersioned(key);
      if (current === undefined) throw loginRequired(result, 'logged out meanwhile');
      const tokens = current.tokens;
      const replaced = tokens.accessToken !== seen.accessToken;
      if (replaced && tokens.refreshFailed === undefined && (force || !expiring(tokens))) return tokens;
      if (tokens.refreshFailed !== undefined)
        throw loginRequired(result, `an earlier refresh was refused (${tokens.refreshFailed.error})`);
      const client = await options.store.readClient(issuerBinding(result.authorizationServer));
      if (client === undefined || tokens.refreshToken === undefined)
        throw loginRequired(result, 'the access token expired and there is no refresh token');
      const configuration = options.clients.configurationFor(result, client);
      try {
        // The engine's rotation rule: new (or refusal-marked) tokens are stored before they are used.
        return await refreshTokens(
          configuration,
          result,
          { ...tokens, refreshToken: tokens.refreshToken },
          {
            async save(next) {
              if (await options.track(options.store.writeTokensIf(key, next, current.version))) return next;
              // Someone refreshed meanwhile (a lease ran out): their tokens stand.
              const winner = await options.store.readTokens(key);
              if (winner === undefined) throw loginRequired(result, 'logged out meanwhile');
              return winner;
            },
          },
          { now: now() },
        );
      } catch (error) {
        // A refusal is marked in the store (refresh token kept); a server that could not answer (down,
        // 5xx, timeout) leaves the refresh token usable and surfaces as its own error.
        if (isRefreshRefusal(error)) {
          throw loginRequired(result, `the refresh was refused (${safeText(error.message)})`, error);
        }
        throw error;
      }
    });
    refreshing.set(flightKey(key), task);
    try {
      return await task;
    } finally {
      refreshing.delete(flightKey(key));
    }
  }

  // The one freshness rule of the mcp package: skew capped at half the lifetime, a floor on the delay.
  function expiring(tokens: StoredTokens): boolean {
    return !tokensFresh(tokens, options.refreshSkewMs, now());
  }

  return {
    /** Why a login is needed (`LOGIN_REQUIRED`), or `undefined` when stored tokens can be used or refreshed. */
    async loginNeeded(result: DiscoveryResult): Promise<DiscoveryError | undefined> {
      const tokens = await options.store.readTokens(storeKey(result));
      if (tokens === undefined) return loginRequired(result, 'nothing stored');
      if (!expiring(tokens)) return undefined;
      if (tokens.refreshFailed !== undefined)
        return loginRequired(
          result,
          `the refresh was refused (${safeText(tokens.refreshFailed.error)}: ${safeText(tokens.refreshFailed.message)})`,
        );
      if (tokens.refreshToken === undefined)
        return loginRequired(result, 'the access token expired and there is no refresh token');
      return undefined;
    },
    /**
     * A live access token, refreshed first when it expires within the skew (or when `force`).
     *
     * @throws {DiscoveryError} `LOGIN_REQUIRED` when there is none and no refresh can help; the
     *   transport's code when the authorization server could not answer the refresh.
     */
    async accessToken(result: DiscoveryResult, force = false): Promise<string> {
      const tokens = await options.store.readTokens(storeKey(result));
      if (tokens === undefined) throw loginRequired(result, 'nothing stored');
      if (!force && !expiring(tokens)) return tokens.accessToken;
      if (tokens.refreshFailed !== undefined)
        throw loginRequired(result, `an earlier refresh was refused (${tokens.refreshFailed.error})`);
      return (await refresh(result, tokens, force)).accessToken;
    },
    /** When the stored access token should be refreshed (epoch ms), if it expires at all. */
    async refreshDueAt(result: DiscoveryResult): Promise<number | undefined> {
      const tokens = await options.store.readTokens(storeKey(result));
      return tokens === undefined ? undefined : refreshDueAt(tokens, options.refreshSkewMs);
    },
  };
}

/** The keeper {@link createTokenKeeper} returns. */
export type TokenKeeper = ReturnType<typeof createTokenKeeper>;
