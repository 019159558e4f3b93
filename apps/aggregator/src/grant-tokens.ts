import type { HttpClient } from '@oauth-discovery/core';
import {
  assertGrantOptions,
  createGrantRunner,
  type GrantOptions,
  refreshDueAt,
  type StoredTokens,
  storeKey,
  tokensFresh,
} from '@oauth-discovery/mcp';
import { requestInitFor } from './clients.js';
import type { TokenKeeper } from './tokens.js';
import type { UserTokenStore } from './user-store.js';

/** What {@link createGrantKeeper} needs. */
export interface GrantKeeperOptions {
  readonly grant: GrantOptions;
  /** The scope to ask for (the upstream's `auth.scopes`); else the discovery's choice. */
  readonly scope: string | undefined;
  readonly store: UserTokenStore;
  /** The SSRF-guarded client token requests go through. */
  readonly http: HttpClient;
  readonly refreshSkewMs: number;
  readonly now: () => number;
}

/**
 * The token keeper of an upstream with a grant: the stored access token while it is fresh, else the
 * grant runs again (there is no refresh token to use, and no person to ask: `loginNeeded` is always
 * `undefined`). One grant at a time per upstream; a refusal surfaces as the grant's error
 * (`TOKEN_REQUEST_FAILED` with the server's `error`), not retried here.
 */
export function createGrantKeeper(options: GrantKeeperOptions): TokenKeeper {
  assertGrantOptions(options.grant);
  const runner = createGrantRunner(options.grant);
  let running: Promise<StoredTokens> | undefined;
  const obtain = (result: Parameters<TokenKeeper['accessToken']>[0]): Promise<StoredTokens> => {
    running ??= runner
      .run(
        {
          result,
          store: options.store,
          http: options.http,
          init: requestInitFor(result.resource),
          client: {},
          frontChannel: {},
          emit: () => undefined,
        },
        options.scope ?? result.scopes?.join(' '),
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  return {
    async loginNeeded() {
      return undefined;
    },
    async accessToken(result, force = false) {
      const tokens = await options.store.readTokens(storeKey(result));
      if (!force && tokens !== undefined && tokensFresh(tokens, options.refreshSkewMs, options.now()))
        return tokens.accessToken;
      return (await obtain(result)).accessToken;
    },
    async refreshDueAt(result) {
      const tokens = await options.store.readTokens(storeKey(result));
      return tokens === undefined ? undefined : refreshDueAt(tokens, options.refreshSkewMs);
    },
  };
}
