import { DiscoveryError, ErrorCodes, safeText } from '@oauth-discovery/core';
import { unwrapDiscoveryError } from '@oauth-discovery/openid-client';
import {
  type Configuration,
  type DPoPHandle,
  genericGrantRequest,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
} from 'openid-client';

/** A token response of {@link grantRequest}. */
export type GrantResponse = Awaited<ReturnType<typeof genericGrantRequest>>;

/**
 * A grant's failure as a `DiscoveryError`: the transport's own error when the request did not get an
 * answer (`BLOCKED_ADDRESS`, `NETWORK_ERROR`, `TIMEOUT`, …), else `TOKEN_REQUEST_FAILED` with the
 * endpoint, the server's `error` and `error_description` and the HTTP status. Nothing is retried.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function grantRequestFailed(grant: string, endpoint: string, error: unknown): DiscoveryError {
  const transport = unwrapDiscoveryError(error);
  if (transport !== undefined) return transport;
  if (error instanceof ResponseBodyError) {
    return refused(grant, endpoint, error.status, error.error, error.error_description, error);
  }
  return new DiscoveryError(
    ErrorCodes.TOKEN_REQUEST_FAILED,
    `The ${grant} request to ${endpoint} failed: ${error instanceof Error ? error.message : String(error)}`,
    { url: endpoint, expected: 'a token response (RFC 6749 §5.1)', actual: null, cause: error },
  );
}

function refused(
  grant: string,
  endpoint: string,
  status: number,
  code: string,
  description: string | undefined,
  cause: unknown,
): DiscoveryError {
  const why = description === undefined ? '' : ` (${safeText(description)})`;
  return new DiscoveryError(
    ErrorCodes.TOKEN_REQUEST_FAILED,
    `Token endpoint ${endpoint} refused the ${grant} request: ${safeText(code)}${why}, HTTP ${status}`,
    {
      url: endpoint,
      expected: 'a 2xx token response',
      actual: { status, error: code, errorDescription: description },
      cause,
    },
  );
}

/**
 * A 401 with `WWW-Authenticate` (RFC 6749 §5.2: `invalid_client` when the client authenticated by a
 * header): the error of the JSON body, else of the challenge.
 */
async function challengeRefusal(
  grant: string,
  endpoint: string,
  error: WWWAuthenticateChallengeError,
): Promise<DiscoveryError> {
  let body: { error?: unknown; error_description?: unknown } = {};
  try {
    body = (await error.response.clone().json()) as typeof body;
  } catch {
    // No JSON body: the challenge's parameters say what there is to say.
  }
  const parameters = error.cause[0]?.parameters;
  const code = typeof body.error === 'string' ? body.error : (parameters?.error ?? 'invalid_client');
  const description =
    typeof body.error_description === 'string' ? body.error_description : parameters?.error_description;
  return refused(grant, endpoint, error.status, code, description, error);
}

/**
 * One token request of an extension grant (RFC 6749 §4.5) by openid-client's `genericGrantRequest`,
 * its failure mapped by {@link grantRequestFailed}. Parameters that are `undefined` are not sent. With
 * a DPoP handle the request carries a proof (openid-client retries once on `use_dpop_nonce`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.5
 */
export async function grantRequest(
  config: Configuration,
  grantType: string,
  parameters: Readonly<Record<string, string | undefined>>,
  name: string,
  dpop?: DPoPHandle | undefined,
): Promise<GrantResponse> {
  const body: Record<string, string> = {};
  for (const [key, value] of Object.entries(parameters)) if (value !== undefined) body[key] = value;
  try {
    return await genericGrantRequest(config, grantType, body, dpop && { DPoP: dpop });
  } catch (error) {
    const endpoint = config.serverMetadata().token_endpoint ?? '';
    if (error instanceof WWWAuthenticateChallengeError) throw await challengeRefusal(name, endpoint, error);
    throw grantRequestFailed(name, endpoint, error);
  }
}
