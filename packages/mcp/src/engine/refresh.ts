import type { DiscoveryResult } from '@oauth-discovery/core';
import { type Configuration, refreshTokenGrant, type TokenEndpointResponse } from 'openid-client';
import type { StoredTokens } from '../store/types.js';
import { isRefreshRefusal } from './refusal.js';
import { runTokenRequest, type TokenRequestOptions, tokenParameters } from './token-request.js';

/** Where refreshed tokens go, and what the caller does when the server refuses the refresh. */
export interface RefreshStorage {
  /**
   * Stores tokens and returns the ones to use: the new tokens, or — when a store with
   * compare-and-swap found another writer first — the winner's.
   */
  save(tokens: StoredTokens): Promise<StoredTokens>;
}

/**
 * Refreshes tokens (RFC 6749 §6) — the only place in the project that does — with the same `resource`
 * as the authorization, and keeps the rotation rule in one place:
 *
 * 1. a rotated refresh token is stored (`storage.save`) before the new access token is returned, so
 *    no request ever uses tokens the store does not hold;
 * 2. a refresh the server refuses (HTTP 4xx, see {@link isRefreshRefusal}) never loses the stored
 *    refresh token: the tokens are saved as they were, marked `refreshFailed`, and the error is
 *    rethrown — unless `save` answers with another writer's working tokens, which are then returned;
 * 3. a server that could not answer (5xx, a malformed answer, a transport failure) changes nothing in
 *    the store, so the refresh token is tried again later;
 * 4. an answer whose token type this client cannot use (`checkTokenType`: a Bearer token after a DPoP
 *    proof) is refused, but a refresh token it rotated is stored first (with the previous access
 *    token), since the old one may no longer work.
 *
 * @throws {DiscoveryError} `TOKEN_REQUEST_FAILED`, or the transport's code.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export async function refreshTokens(
  configuration: Configuration,
  result: DiscoveryResult,
  tokens: StoredTokens & { readonly refreshToken: string },
  storage: RefreshStorage,
  options: TokenRequestOptions = {},
): Promise<StoredTokens> {
  let fresh: StoredTokens;
  let answer: TokenEndpointResponse | undefined;
  try {
    fresh = await runTokenRequest(
      result,
      'refresh_token',
      async (dpop) => {
        answer = await refreshTokenGrant(configuration, tokens.refreshToken, tokenParameters(result), dpop);
        return answer;
      },
      { ...options, requestedScope: options.requestedScope ?? tokens.scope, previous: tokens },
    );
  } catch (error) {
    const rotated = answer?.refresh_token;
    if (rotated !== undefined && rotated !== tokens.refreshToken)
      await storage.save({ ...tokens, refreshToken: rotated });
    if (isRefreshRefusal(error)) {
      const oauthError = (error.actual as { error?: string } | undefined)?.error ?? 'refused';
      const kept = await storage.save({
        ...tokens,
        refreshFailed: { at: Date.now(), error: oauthError, message: error.message },
      });
      // Another writer stored working tokens first (a store with compare-and-swap): theirs stand.
      if (kept.refreshFailed === undefined) return kept;
    }
    throw error;
  }
  return storage.save(fresh);
}
