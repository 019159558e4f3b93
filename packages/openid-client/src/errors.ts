import { type DiscoveryError, isDiscoveryError } from '@oauth-discovery/core';
import { ResponseBodyError } from 'openid-client';

/**
 * True when the authorization server refused an openid-client request with an OAuth error response
 * (HTTP 4xx with an `error`, RFC 6749 §5.2 — `invalid_grant`, `invalid_client`, …): asking again will
 * not help (a refused refresh means a new login). A 5xx, a timeout or an unreachable server is not a
 * refusal.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function isOAuthRefusal(error: unknown): error is ResponseBodyError {
  return error instanceof ResponseBodyError && error.status >= 400 && error.status < 500;
}

/**
 * The `DiscoveryError` our `HttpClient` threw inside an openid-client call made with
 * `toOpenidClientConfiguration(…, { http })` — `BLOCKED_ADDRESS`, `NETWORK_ERROR`, `TIMEOUT`, … —
 * found along the `cause` chain openid-client wraps it in (a `ClientError` "something went wrong"),
 * so its code, and a security error's severity, are not lost. `undefined` when there is none.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-7.7
 */
export function unwrapDiscoveryError(error: unknown): DiscoveryError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    if (isDiscoveryError(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
