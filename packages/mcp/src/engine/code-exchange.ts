import type { DiscoveryResult } from '@oauth-discovery/core';
import { authorizationCodeGrant, type Configuration } from 'openid-client';
import type { StoredTokens } from '../store/types.js';
import type { AuthorizationCode } from './authorization-response.js';
import { runTokenRequest, type TokenRequestOptions, tokenParameters } from './token-request.js';

/** What the exchange of an authorization code needs besides the configuration. */
export interface CodeExchange {
  /** The code and `iss` of a response `processAuthorizationResponse` accepted. */
  readonly code: AuthorizationCode;
  /** The `state` sent (and found in the response). */
  readonly state: string;
  /** The `redirect_uri` of the authorization request. */
  readonly redirectUri: string;
  /** The PKCE verifier of the request's challenge. */
  readonly codeVerifier: string;
}

/**
 * Exchanges an authorization code for tokens — the only place in the project that does — with
 * openid-client's `authorizationCodeGrant`: the same `redirect_uri`, the PKCE `code_verifier`, the
 * RFC 8707 `resource` of the authorization ({@link tokenParameters}). openid-client checks `state`
 * and RFC 9207 `iss` once more; ours (`processAuthorizationResponse`) ran first, before anything of
 * the response was used.
 *
 * @throws {DiscoveryError} `TOKEN_REQUEST_FAILED`, or the transport's code.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export function exchangeAuthorizationCode(
  configuration: Configuration,
  result: DiscoveryResult,
  exchange: CodeExchange,
  options: TokenRequestOptions = {},
): Promise<StoredTokens> {
  // openid-client reads the response (and the redirect_uri it sends) from the callback URL.
  const callback = new URL(exchange.redirectUri);
  callback.search = '';
  callback.searchParams.set('code', exchange.code.code);
  callback.searchParams.set('state', exchange.state);
  if (exchange.code.iss !== undefined) callback.searchParams.set('iss', exchange.code.iss);
  return runTokenRequest(
    result,
    'authorization_code',
    (dpop) =>
      authorizationCodeGrant(
        configuration,
        callback,
        { pkceCodeVerifier: exchange.codeVerifier, expectedState: exchange.state },
        tokenParameters(result),
        dpop,
      ),
    options,
  );
}
