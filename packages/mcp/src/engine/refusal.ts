import { type DiscoveryError, isDiscoveryError } from '@oauth-discovery/core';
import { FlowErrorCodes } from '../error-codes.js';

/**
 * Whether a token request failed because the authorization server refused it (HTTP 4xx, RFC 6749
 * §5.2: `invalid_grant`, `invalid_client`, …) rather than for a passing reason (5xx, a malformed
 * answer, a transport failure). Only a refusal marks a stored refresh token as no longer worth trying.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function isRefreshRefusal(error: unknown): error is DiscoveryError {
  if (!isDiscoveryError(error, FlowErrorCodes.TOKEN_REQUEST_FAILED)) return false;
  const status = (error.actual as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
