import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { extraAuthorizationParameters } from '@oauth-discovery/core/metadata';
import { FlowErrorCodes } from '../error-codes.js';

/** Parameters of an authorization code request with PKCE. */
export interface AuthorizationRequest {
  readonly authorizationEndpoint: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly codeChallenge: string;
  /** Space-separated scope; omitted from the request when undefined. */
  readonly scope?: string | undefined;
  /** RFC 8707 resource indicator; omitted when undefined. */
  readonly resource?: string | undefined;
  /**
   * Provider-specific parameters from the discovery's hints (`extraAuthorizationParameters`, e.g. Auth0's
   * `audience`); never one the flow computes.
   */
  readonly extraParameters?: Readonly<Record<string, string>> | undefined;
}

/**
 * Adds a provider's extra authorization parameters (a preset's or static configuration's
 * `extraAuthorizationParameters` hint) to an authorization URL. Parameters the flow computes
 * (`client_id`, `redirect_uri`, `state`, PKCE, `scope`, `resource`, …) are never set from a hint, even
 * when the hint did not pass through the hints schema; a parameter already in the URL is kept.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1
 */
export function addExtraAuthorizationParameters(
  url: URL,
  extra: Readonly<Record<string, string>> | undefined,
): URL {
  for (const [name, value] of Object.entries(
    extraAuthorizationParameters({ extraAuthorizationParameters: extra }),
  )) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, value);
  }
  return url;
}

/**
 * Builds the authorization request URL: `response_type=code`, `client_id`, `redirect_uri`, `state`,
 * PKCE S256 `code_challenge`, `scope` / `resource` when given, then a provider's extra parameters
 * ({@link addExtraAuthorizationParameters}). Parameters already in the endpoint's query are kept
 * (RFC 6749 §3.1).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export function buildAuthorizationUrl(request: AuthorizationRequest): URL {
  const url = new URL(request.authorizationEndpoint);
  const params = url.searchParams;
  params.set('response_type', 'code');
  params.set('client_id', request.clientId);
  params.set('redirect_uri', request.redirectUri);
  params.set('state', request.state);
  params.set('code_challenge', request.codeChallenge);
  params.set('code_challenge_method', 'S256');
  if (request.scope !== undefined && request.scope !== '') params.set('scope', request.scope);
  if (request.resource !== undefined) params.set('resource', request.resource);
  return addExtraAuthorizationParameters(url, request.extraParameters);
}

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
