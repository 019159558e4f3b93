import { DiscoveryError, type HttpClient, type HttpRequestInit } from '@oauth-discovery/core';
import { safeText } from '@oauth-discovery/core/trace';
import { z } from 'zod';
import { FlowErrorCodes } from '../error-codes.js';
import type { StoredClient, StoredTokens } from '../store/types.js';

/** Client authentication methods at the token endpoint this client can use. */
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

const KNOWN_METHODS: readonly string[] = ['client_secret_basic', 'client_secret_post', 'none'];

/**
 * Picks the token endpoint authentication method the server and the registration agree on: the
 * method the registration names when the server supports it; else, for a client with a secret,
 * `client_secret_basic` then `client_secret_post` as supported; else `none` (public client). An
 * absent `token_endpoint_auth_methods_supported` means `client_secret_basic` (RFC 8414 §2).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export function selectTokenEndpointAuthMethod(
  client: Pick<StoredClient, 'clientSecret' | 'tokenEndpointAuthMethod'>,
  supported: readonly string[] | undefined,
): TokenEndpointAuthMethod {
  const serverMethods = supported ?? ['client_secret_basic'];
  const registered = client.tokenEndpointAuthMethod;
  const hasSecret = client.clientSecret !== undefined && client.clientSecret !== '';
  if (
    registered !== undefined &&
    KNOWN_METHODS.includes(registered) &&
    (registered === 'none' || hasSecret) &&
    (supported === undefined || supported.includes(registered))
  ) {
    return registered as TokenEndpointAuthMethod;
  }
  if (!hasSecret) return 'none';
  if (serverMethods.includes('client_secret_basic')) return 'client_secret_basic';
  if (serverMethods.includes('client_secret_post')) return 'client_secret_post';
  return 'client_secret_basic';
}

/**
 * The HTTP Basic credentials of a client: id and secret form-urlencoded (RFC 6749 Appendix B, as
 * `URLSearchParams` does it), joined by `:`, base64.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function basicCredentials(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
}

/** The form-urlencoding of RFC 6749 Appendix B, used for the Basic credentials. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** A token request, ready to send. */
export interface TokenRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** `authorization_code` or `refresh_token`, for messages. */
  readonly grantType: string;
}

/**
 * Builds a token request: the grant parameters, the RFC 8707 `resource` (when given) and the client
 * authentication of `method` (Basic header with form-encoded credentials, or body parameters).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export function buildTokenRequest(options: {
  readonly tokenEndpoint: string;
  readonly grant: Readonly<Record<string, string>>;
  readonly client: Pick<StoredClient, 'clientId' | 'clientSecret'>;
  readonly method: TokenEndpointAuthMethod;
  readonly resource?: string | undefined;
}): TokenRequest {
  const body = new URLSearchParams(options.grant);
  if (options.resource !== undefined) body.set('resource', options.resource);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  const { clientId, clientSecret = '' } = options.client;
  if (options.method === 'client_secret_basic') {
    headers.authorization = basicCredentials(clientId, clientSecret);
  } else {
    body.set('client_id', clientId);
    if (options.method === 'client_secret_post') body.set('client_secret', clientSecret);
  }
  return {
    url: options.tokenEndpoint,
    headers,
    body: body.toString(),
    grantType: options.grant.grant_type ?? 'unknown',
  };
}

/** The longest access token lifetime believed, in seconds (a year); a larger `expires_in` is clamped. */
export const MAX_TOKEN_LIFETIME_SECONDS = 365 * 24 * 3600;

/** The shortest time between obtaining tokens and refreshing them, in ms, whatever `expires_in` says. */
export const MIN_REFRESH_DELAY_MS = 1_000;

/**
 * When tokens obtained at `now` expire, from a server's `expires_in` (RFC 6749 §5.1): a number or a
 * numeric string of seconds, clamped to `[0, MAX_TOKEN_LIFETIME_SECONDS]` (so `1e13` or `Infinity`
 * cannot make an invalid date); `undefined` when absent or not a number (`NaN`, `"soon"`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function expiresAtFrom(expiresIn: unknown, now: number): number | undefined {
  const seconds = typeof expiresIn === 'string' && expiresIn.trim() !== '' ? Number(expiresIn) : expiresIn;
  if (typeof seconds !== 'number' || Number.isNaN(seconds)) return undefined;
  return now + Math.round(Math.min(Math.max(seconds, 0), MAX_TOKEN_LIFETIME_SECONDS) * 1000);
}

/**
 * When stored tokens should be refreshed (epoch ms), or `undefined` when they do not expire — the one
 * freshness rule of this package and the aggregator: `refreshSkewMs` before expiry, but the skew is at
 * most half the token's lifetime, and never sooner than {@link MIN_REFRESH_DELAY_MS} after the tokens
 * were obtained. So an authorization server issuing `expires_in` 30 or 0 gets a refresh every 15 s or
 * every second, not a hundred a second.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function refreshDueAt(
  tokens: Pick<StoredTokens, 'expiresAt' | 'obtainedAt'>,
  refreshSkewMs: number,
): number | undefined {
  if (tokens.expiresAt === undefined) return undefined;
  const lifetime = Math.max(0, tokens.expiresAt - tokens.obtainedAt);
  const skew = Math.min(Math.max(0, refreshSkewMs), lifetime / 2);
  return Math.max(tokens.expiresAt - skew, tokens.obtainedAt + MIN_REFRESH_DELAY_MS);
}

/** Whether stored tokens can be used as they are at `now` (see {@link refreshDueAt}). */
export function tokensFresh(
  tokens: Pick<StoredTokens, 'expiresAt' | 'obtainedAt'>,
  refreshSkewMs: number,
  now: number,
): boolean {
  const due = refreshDueAt(tokens, refreshSkewMs);
  return due === undefined || now < due;
}

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().min(1),
  expires_in: z.unknown().optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  id_token: z.string().optional(),
});

const errorResponseSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
  error_uri: z.string().optional(),
});

const SECRET_FIELDS = ['access_token', 'refresh_token', 'id_token'];

/** A token response fit for an error message or a log: its credentials replaced by `[redacted]`. */
function redactSecrets(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  return Object.fromEntries(
    Object.entries(json).map(([name, value]) => [name, SECRET_FIELDS.includes(name) ? '[redacted]' : value]),
  );
}

/** The OAuth error of a refused token request, as carried in `DiscoveryError.actual`. */
export interface TokenErrorDetails {
  readonly status: number;
  readonly error?: string;
  readonly error_description?: string;
}

/**
 * Sends a token request and validates the response into {@link StoredTokens}.
 *
 * - a non-2xx answer → `TOKEN_REQUEST_FAILED` with the RFC 6749 §5.2 `error` and description (in
 *   `actual`, see {@link TokenErrorDetails});
 * - a 2xx answer that is not a Bearer token response → `TOKEN_REQUEST_FAILED`;
 * - transport failures keep their own codes (`TIMEOUT`, `BLOCKED_ADDRESS`, …).
 *
 * A refresh answer without a new refresh token keeps `previousRefreshToken` (RFC 6749 §6).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export async function requestTokens(
  http: HttpClient,
  request: TokenRequest,
  options: {
    readonly requestedScope?: string | undefined;
    readonly previousRefreshToken?: string | undefined;
    readonly init?: HttpRequestInit;
    readonly now?: number;
  } = {},
): Promise<StoredTokens> {
  const response = await http.request(request.url, {
    ...options.init,
    method: 'POST',
    headers: request.headers,
    body: request.body,
    expect: 'json',
  });
  if (response.status < 200 || response.status >= 300) {
    let parsed: z.infer<typeof errorResponseSchema> | undefined;
    try {
      parsed = errorResponseSchema.parse(JSON.parse(response.text));
    } catch {
      parsed = undefined;
    }
    const details: TokenErrorDetails = {
      status: response.status,
      ...(parsed === undefined ? {} : { error: parsed.error }),
      ...(parsed?.error_description === undefined ? {} : { error_description: parsed.error_description }),
    };
    const what =
      parsed === undefined
        ? `HTTP ${response.status} without an OAuth error body`
        : `${safeText(parsed.error)}${parsed.error_description === undefined ? '' : ` (${safeText(parsed.error_description)})`}, HTTP ${response.status}`;
    throw new DiscoveryError(
      FlowErrorCodes.TOKEN_REQUEST_FAILED,
      `Token endpoint ${request.url} refused the ${request.grantType} request: ${what}`,
      { url: request.url, expected: 'a 2xx token response', actual: details },
    );
  }
  const checked = tokenResponseSchema.safeParse(response.json);
  if (!checked.success) {
    throw new DiscoveryError(
      FlowErrorCodes.TOKEN_REQUEST_FAILED,
      `Token endpoint ${request.url} answered the ${request.grantType} request with something that is not a token response: ${checked.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ')}`,
      {
        url: request.url,
        expected: 'access_token and token_type (RFC 6749 §5.1)',
        actual: redactSecrets(response.json),
        cause: checked.error,
      },
    );
  }
  const body = checked.data;
  if (body.token_type.toLowerCase() !== 'bearer') {
    throw new DiscoveryError(
      FlowErrorCodes.TOKEN_REQUEST_FAILED,
      `Token endpoint ${request.url} issued a ${safeText(body.token_type)} token; this client only uses Bearer tokens (RFC 6750)`,
      { url: request.url, expected: 'token_type Bearer', actual: body.token_type },
    );
  }
  const now = options.now ?? Date.now();
  const refreshToken = body.refresh_token ?? options.previousRefreshToken;
  const scope = body.scope ?? options.requestedScope;
  const expiresAt = expiresAtFrom(body.expires_in, now);
  return {
    accessToken: body.access_token,
    tokenType: 'Bearer',
    obtainedAt: now,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(scope === undefined ? {} : { scope }),
    ...(body.id_token === undefined ? {} : { idToken: body.id_token }),
  };
}
