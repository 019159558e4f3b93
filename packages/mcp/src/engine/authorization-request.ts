import { type DiscoveryResult, extraAuthorizationParameters } from '@oauth-discovery/core';
import { type Configuration, buildAuthorizationUrl as openidAuthorizationUrl } from 'openid-client';
import { resourceIndicator } from '../resource-indicator.js';
import { assertPkceUsable } from './pkce.js';

/** What an authorization request needs besides the discovery result and the client. */
export interface AuthorizationRequest {
  readonly redirectUri: string;
  readonly state: string;
  /** The PKCE S256 challenge of the verifier (`createPkcePair`). */
  readonly codeChallenge: string;
  /** Space-separated scope; omitted from the request when undefined or empty. */
  readonly scope?: string | undefined;
}

/**
 * Adds a provider's extra authorization parameters (a preset's or static configuration's
 * `extraAuthorizationParameters` hint) to an authorization URL. Parameters the flow computes
 * (`client_id`, `redirect_uri`, `state`, PKCE, `scope`, `resource`, …) are never set from a hint, even
 * when the hint did not pass through the hints schema (core's `extraAuthorizationParameters`); a
 * parameter already in the URL is kept.
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
 * Builds the authorization request URL — the only place in the project that does. Refuses first
 * when PKCE S256 is neither advertised nor hinted ({@link assertPkceUsable}); then openid-client's
 * `buildAuthorizationUrl` on the configuration built from the discovery result (`client_id`,
 * `response_type=code`, parameters already in the endpoint's query kept) with `redirect_uri`,
 * `state`, the S256 `code_challenge`, `scope` when there is one and the RFC 8707 `resource` unless
 * hinted away ({@link resourceIndicator}); then the provider's extra parameters
 * ({@link addExtraAuthorizationParameters}).
 *
 * @throws {DiscoveryError} `PKCE_NOT_SUPPORTED`
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export function buildAuthorizationUrl(
  configuration: Configuration,
  result: DiscoveryResult,
  request: AuthorizationRequest,
): URL {
  assertPkceUsable(result);
  const parameters = new URLSearchParams({
    redirect_uri: request.redirectUri,
    response_type: 'code',
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
  });
  if (request.scope !== undefined && request.scope !== '') parameters.set('scope', request.scope);
  const resource = resourceIndicator(result);
  if (resource !== undefined) parameters.set('resource', resource);
  return addExtraAuthorizationParameters(
    openidAuthorizationUrl(configuration, parameters),
    result.hints.extraAuthorizationParameters,
  );
}
