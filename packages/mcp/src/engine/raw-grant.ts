import { type Configuration, genericGrantRequest, type TokenEndpointResponse } from 'openid-client';
import { tokenRequestError } from './token-response.js';

/**
 * A grant whose answer is not the resource's tokens — the RFC 8693 token exchange at an enterprise
 * IdP, whose answer is an ID-JAG for the next grant — by openid-client's `genericGrantRequest` at the
 * token endpoint of `configuration`. Parameters that are `undefined` are not sent; nothing is added
 * (no `resource` of a discovery result) and nothing is retried. Grants for the resource's tokens use
 * {@link grantRequest}.
 *
 * @throws {DiscoveryError} `TOKEN_REQUEST_FAILED` with the server's OAuth error, or the transport's code.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.5
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 */
export async function rawGrantRequest(
  configuration: Configuration,
  grantType: string,
  parameters: Readonly<Record<string, string | undefined>>,
): Promise<TokenEndpointResponse> {
  const body: Record<string, string> = {};
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) body[name] = value;
  try {
    return await genericGrantRequest(configuration, grantType, body);
  } catch (error) {
    throw await tokenRequestError(configuration.serverMetadata().token_endpoint ?? '', grantType, error);
  }
}
