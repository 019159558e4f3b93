import type { StoredTokens } from '../store/types.js';

/** The longest access token lifetime believed, in seconds (a year); a larger `expires_in` is clamped. */
export const MAX_TOKEN_LIFETIME_SECONDS = 365 * 24 * 3600;

/** The shortest time between obtaining tokens and refreshing them, in ms, whatever `expires_in` says. */
export const MIN_REFRESH_DELAY_MS = 1_000;

/**
 * When tokens obtained at `now` expire, from a server's `expires_in` (RFC 6749 §5.1): a number or a
 * numeric string of seconds, clamped to `[0, MAX_TOKEN_LIFETIME_SECONDS]` (so `1e13` or `Infinity`
 * cannot make an invalid date); `undefined` when absent or not a number (`NaN`, `"soon"`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function expiresAtFrom(expiresIn: unknown, now: number): number | undefined {
  const seconds = typeof expiresIn === 'string' && expiresIn.trim() !== '' ? Number(expiresIn) : expiresIn;
  if (typeof seconds !== 'number' || Number.isNaN(seconds)) return undefined;
  return now + Math.round(Math.min(Math.max(seconds, 0), MAX_TOKEN_LIFETIME_SECONDS) * 1000);
}

/**
 * When stored tokens should be refreshed (epoch ms), or `undefined` when they do not expire — the one
 * freshness rule of this package and the aggregator: `refreshSkewMs` before expiry, but the skew is at
 * most half the token's lifetime, and never sooner than {@link MIN_REFRESH_DELAY_MS} after the tokens
 * were obtained. So an authorization server issuing `expires_in` 30 or 0 gets a refresh every 15 s or
 * every second, not a hundred a second.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function refreshDueAt(
  tokens: Pick<StoredTokens, 'expiresAt' | 'obtainedAt'>,
  refreshSkewMs: number,
): number | undefined {
  if (tokens.expiresAt === undefined) return undefined;
  const lifetime = Math.max(0, tokens.expiresAt - tokens.obtainedAt);
  const skew = Math.min(Math.max(0, refreshSkewMs), lifetime / 2);
  return Math.max(tokens.expiresAt - skew, tokens.obtainedAt + MIN_REFRESH_DELAY_MS);
}

/** Whether stored tokens can be used as they are at `now` (see {@link refreshDueAt}). */
export function tokensFresh(
  tokens: Pick<StoredTokens, 'expiresAt' | 'obtainedAt'>,
  refreshSkewMs: number,
  now: number,
): boolean {
  const due = refreshDueAt(tokens, refreshSkewMs);
  return due === undefined || now < due;
}
