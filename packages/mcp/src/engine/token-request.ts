import type { DiscoveryResult } from '@oauth-discovery/core';
import {
  type Configuration,
  type DPoPHandle,
  type DPoPOptions,
  genericGrantRequest,
  type TokenEndpointResponse,
} from 'openid-client';
import { resourceIndicator } from '../resource-indicator.js';
import type { StoredTokens } from '../store/types.js';
import { requireEndpoint } from './configuration.js';
import { tokenRequestError, toStoredTokens } from './token-response.js';

/** Options every engine function that talks to the token endpoint takes. */
export interface TokenRequestOptions {
  /**
   * A DPoP handle (openid-client's `getDPoPHandle`): the request carries a DPoP proof, server nonces
   * are retried by openid-client, and a `DPoP` token type is accepted.
   *
   * @see https://www.rfc-editor.org/rfc/rfc9449
   */
  readonly dpop?: DPoPHandle | undefined;
  /** The scope asked for, stored when the server does not echo one. */
  readonly requestedScope?: string | undefined;
  /** When the tokens were obtained (epoch ms); default: when the answer arrived. */
  readonly now?: number | undefined;
}

/**
 * Runs one request at the token endpoint through openid-client (`send` gets the `DPoP` option to
 * pass on) and returns the answer in the stored form, or the request's `DiscoveryError`
 * (`TOKEN_REQUEST_FAILED`, or the transport's own code). Every token request of the project goes
 * through here: code exchange, refresh and the machine grants.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5
 */
export async function runTokenRequest(
  result: DiscoveryResult,
  grantType: string,
  send: (options: DPoPOptions) => Promise<TokenEndpointResponse>,
  options: TokenRequestOptions & { readonly previous?: StoredTokens | undefined } = {},
): Promise<StoredTokens> {
  const tokenEndpoint = requireEndpoint(result, 'token_endpoint');
  let response: TokenEndpointResponse;
  try {
    response = await send(options.dpop === undefined ? {} : { DPoP: options.dpop });
  } catch (error) {
    throw tokenRequestError(tokenEndpoint, grantType, error);
  }
  return toStoredTokens(response, tokenEndpoint, {
    requestedScope: options.requestedScope,
    previous: options.previous,
    dpop: options.dpop !== undefined,
    now: options.now ?? Date.now(),
  });
}

/**
 * The token endpoint parameters the engine adds to every grant of a discovery result: the RFC 8707
 * `resource` of the authorization ({@link resourceIndicator}), unless a hint omits it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export function tokenParameters(result: DiscoveryResult): Record<string, string> {
  const resource = resourceIndicator(result);
  return resource === undefined ? {} : { resource };
}

/**
 * Any grant at the token endpoint of a discovery result (client credentials, RFC 7523 JWT bearer,
 * RFC 8693 token exchange, …) by openid-client's `genericGrantRequest`, with the `resource` of
 * {@link tokenParameters} unless `parameters` name one, and the client authentication of
 * `configuration`.
 *
 * @throws {DiscoveryError} `TOKEN_REQUEST_FAILED`, or the transport's code.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 */
export function grantRequest(
  configuration: Configuration,
  result: DiscoveryResult,
  grantType: string,
  parameters: Readonly<Record<string, string>>,
  options: TokenRequestOptions = {},
): Promise<StoredTokens> {
  const body = { ...tokenParameters(result), ...parameters };
  return runTokenRequest(
    result,
    grantType,
    (dpop) => genericGrantRequest(configuration, grantType, body, dpop),
    { ...options, requestedScope: options.requestedScope ?? parameters.scope },
  );
}
