import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { FlowErrorCodes } from '../error-codes.js';

/** What an authorization response must satisfy. */
export interface AuthorizationResponseCheck {
  readonly expectedState: string;
  /** The issuer the request was sent to (the metadata's `issuer`), for the RFC 9207 `iss` check. */
  readonly issuer: string;
  /** `authorization_response_iss_parameter_supported` of the metadata: `iss` is then required. */
  readonly issRequired: boolean;
  /** Where the response came from, for messages. */
  readonly url: string;
}

/** A successful authorization response. */
export interface AuthorizationCode {
  readonly code: string;
  readonly iss?: string;
}

/**
 * Validates the parameters of an authorization response (the redirect to `redirect_uri`): `state`
 * first (a response to another request is not read further), then the RFC 9207 `iss` check — a plain
 * string comparison whenever present, required when the server advertises it — then `error`, then
 * `code`. The `iss` check applies to error responses too, and an error response that fails it is
 * reported without its `error_description` (MCP 2026-07-28: text from an unverified sender).
 *
 * @throws {DiscoveryError} `STATE_MISMATCH`, `AUTHORIZATION_FAILED`, `ISSUER_MISMATCH`
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 */
export function processAuthorizationResponse(
  params: URLSearchParams,
  check: AuthorizationResponseCheck,
): AuthorizationCode {
  const state = params.get('state');
  if (state !== check.expectedState) {
    throw new DiscoveryError(
      FlowErrorCodes.STATE_MISMATCH,
      `Authorization response at ${check.url} has state ${state === null ? '(none)' : JSON.stringify(state)}, ` +
        'not the one this client sent; it was rejected (possible CSRF or a stale browser tab).',
      { url: check.url, expected: check.expectedState, actual: state },
    );
  }
  const error = params.get('error');
  const iss = params.get('iss');
  if (iss !== null && iss !== check.issuer) {
    throw new DiscoveryError(
      ErrorCodes.ISSUER_MISMATCH,
      `Authorization response names issuer ${JSON.stringify(iss)}, but the request went to ${check.issuer} ` +
        '(RFC 9207 mix-up defence); the response was rejected.',
      { url: check.url, expected: check.issuer, actual: iss },
    );
  }
  if (iss === null && check.issRequired) {
    throw new DiscoveryError(
      ErrorCodes.ISSUER_MISMATCH,
      `Authorization response has no iss parameter although ${check.issuer} advertises ` +
        'authorization_response_iss_parameter_supported (RFC 9207); the response was rejected.',
      { url: check.url, expected: check.issuer, actual: null },
    );
  }
  if (error !== null) {
    const description = params.get('error_description');
    throw new DiscoveryError(
      FlowErrorCodes.AUTHORIZATION_FAILED,
      `Authorization server ${check.issuer} refused the authorization: ${error}${description === null ? '' : ` (${description})`}`,
      {
        url: check.url,
        expected: 'an authorization code',
        actual: { error, error_description: description },
      },
    );
  }
  const code = params.get('code');
  if (code === null || code === '') {
    throw new DiscoveryError(
      FlowErrorCodes.AUTHORIZATION_FAILED,
      `Authorization response at ${check.url} has neither a code nor an error`,
      { url: check.url, expected: 'a code parameter', actual: Object.fromEntries(params) },
    );
  }
  return iss === null ? { code } : { code, iss };
}
