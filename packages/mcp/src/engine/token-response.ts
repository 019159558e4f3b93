import { DiscoveryError } from '@oauth-discovery/core';
import { safeText } from '@oauth-discovery/core/trace';
import { isOAuthRefusal, unwrapDiscoveryError } from '@oauth-discovery/openid-client';
import { ResponseBodyError, type TokenEndpointResponse, WWWAuthenticateChallengeError } from 'openid-client';
import { FlowErrorCodes } from '../error-codes.js';
import type { StoredTokens } from '../store/types.js';
import { expiresAtFrom } from './lifetime.js';
import { checkTokenType } from './token-type.js';

/** The OAuth error of a refused token request, as carried in `DiscoveryError.actual`. */
export interface TokenErrorDetails {
  readonly status: number;
  readonly error?: string | undefined;
  readonly error_description?: string | undefined;
}

/** What a token answer is read against. */
export interface TokenResponseContext {
  /** The scope asked for: stored when the server does not echo one (RFC 6749 §5.1). */
  readonly requestedScope?: string | undefined;
  /** The tokens being refreshed: their refresh token is kept when no new one came (RFC 6749 §6). */
  readonly previous?: StoredTokens | undefined;
  /** A DPoP proof went with the request: the token type must then be `DPoP` ({@link checkTokenType}). */
  readonly dpop?: boolean | undefined;
  readonly now: number;
}

const SECRET_FIELDS = ['access_token', 'refresh_token', 'id_token'];

/** A token response fit for an error message or a log: its credentials replaced by `[redacted]`. */
function redactSecrets(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  return Object.fromEntries(
    Object.entries(json).map(([name, value]) => [name, SECRET_FIELDS.includes(name) ? '[redacted]' : value]),
  );
}

/** The JSON object of an error answer, if it has one. */
async function jsonBody(response: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const body: unknown = await response.clone().json();
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const stringField = (body: Record<string, unknown> | undefined, name: string): string | undefined =>
  typeof body?.[name] === 'string' ? (body[name] as string) : undefined;

/** The HTTP status and parsed body somewhere along an openid-client error's `cause` chain. */
function causeDetails(error: unknown): { status?: number; body?: unknown } {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    if (current instanceof Response) return { status: current.status };
    const body = (current as { body?: unknown }).body;
    if (body !== undefined && typeof body === 'object') return { body };
    current = (current as { cause?: unknown }).cause;
  }
  return {};
}

/**
 * The `DiscoveryError` of a failed token request, real cause first:
 *
 * - our HTTP client's own error (`TIMEOUT`, `BLOCKED_ADDRESS`, …) as it was thrown;
 * - an OAuth error answer (RFC 6749 §5.2) → `TOKEN_REQUEST_FAILED` with `{ status, error,
 *   error_description }` in `actual` ({@link TokenErrorDetails}) — a 4xx is the server's refusal;
 * - a non-2xx answer without an OAuth error body → `TOKEN_REQUEST_FAILED` with `{ status }`;
 * - a 2xx answer that is not a token response → `TOKEN_REQUEST_FAILED` with the body, its
 *   credentials redacted.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export async function tokenRequestError(
  tokenEndpoint: string,
  grantType: string,
  error: unknown,
): Promise<DiscoveryError> {
  const transport = unwrapDiscoveryError(error);
  if (transport !== undefined) return transport;
  const refused = `Token endpoint ${tokenEndpoint} refused the ${grantType} request`;
  if (error instanceof ResponseBodyError || isOAuthRefusal(error)) {
    const description =
      error.error_description === undefined ? '' : ` (${safeText(error.error_description)})`;
    const details: TokenErrorDetails = {
      status: error.status,
      error: error.error,
      error_description: error.error_description,
    };
    return new DiscoveryError(
      FlowErrorCodes.TOKEN_REQUEST_FAILED,
      `${refused}: ${safeText(error.error)}${description}, HTTP ${error.status}`,
      { url: tokenEndpoint, expected: 'a 2xx token response', actual: details, cause: error },
    );
  }
  if (error instanceof WWWAuthenticateChallengeError) {
    // A 401 with a challenge (RFC 6749 §5.2, invalid_client): the error of the JSON body, else of
    // the challenge.
    const challenge = error.cause[0]?.parameters;
    const body = await jsonBody(error.response);
    const code = stringField(body, 'error') ?? challenge?.error;
    const details: TokenErrorDetails = {
      status: error.status,
      error: code,
      error_description: stringField(body, 'error_description') ?? challenge?.error_description,
    };
    return new DiscoveryError(
      FlowErrorCodes.TOKEN_REQUEST_FAILED,
      `${refused}: ${safeText(code ?? 'a WWW-Authenticate challenge')}, HTTP ${error.status}`,
      { url: tokenEndpoint, expected: 'a 2xx token response', actual: details, cause: error },
    );
  }
  const { status, body } = causeDetails(error);
  if (status !== undefined && (status < 200 || status >= 300)) {
    return new DiscoveryError(
      FlowErrorCodes.TOKEN_REQUEST_FAILED,
      `${refused}: HTTP ${status} without an OAuth error body`,
      { url: tokenEndpoint, expected: 'a 2xx token response', actual: { status }, cause: error },
    );
  }
  const message = safeText(error instanceof Error ? error.message : String(error));
  const inner = (error as { cause?: unknown }).cause;
  const detail = inner instanceof Error && inner.message !== message ? `: ${safeText(inner.message)}` : '';
  return new DiscoveryError(
    FlowErrorCodes.TOKEN_REQUEST_FAILED,
    `Token endpoint ${tokenEndpoint} answered the ${grantType} request with something that is not a token response: ${message}${detail}`,
    {
      url: tokenEndpoint,
      expected: 'access_token and token_type (RFC 6749 §5.1)',
      actual: redactSecrets(body ?? null),
      cause: error,
    },
  );
}

/**
 * A validated token answer in the stored form (times in epoch ms): the token type by the engine's
 * one rule ({@link checkTokenType}: `DPoP` after a proof, else `Bearer`), the `expires_in` clamp
 * ({@link expiresAtFrom}), the previous refresh token and the requested scope kept when the server
 * sends none.
 *
 * @throws {DiscoveryError} `TOKEN_REQUEST_FAILED` for a token type this client cannot use.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 */
export function toStoredTokens(
  response: TokenEndpointResponse,
  tokenEndpoint: string,
  context: TokenResponseContext,
): StoredTokens {
  return {
    accessToken: response.access_token,
    tokenType: checkTokenType(response.token_type, context.dpop === true, tokenEndpoint),
    obtainedAt: context.now,
    refreshToken: response.refresh_token ?? context.previous?.refreshToken,
    expiresAt: expiresAtFrom(response.expires_in, context.now),
    scope: response.scope ?? context.requestedScope ?? context.previous?.scope,
    idToken: response.id_token,
  };
}
