import { DiscoveryError, ErrorCodes, type HttpClient, type HttpRequestInit } from '@oauth-discovery/core';
import type { FetchImplementation } from 'jose';

/**
 * jose's `customFetch` for `createRemoteJWKSet` on the aggregator's HTTP client: the JWKS request gets
 * the client's HTTPS-except-loopback rule, SSRF guard, timeouts, body cap and same-origin redirects
 * instead of the global `fetch`; jose keeps its cache, cool-down and kid-miss refetch. An answer other
 * than `200` is `HTTP_ERROR` (the issuer is unavailable, not the token invalid). jose's timeout signal
 * is not passed on: the client's own timeouts bound the request and fail with `TIMEOUT`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export function jwksFetch(http: HttpClient, init: () => HttpRequestInit): FetchImplementation {
  return async (url, request) => {
    const response = await http.request(url, {
      ...init(),
      headers: { accept: request.headers.get('accept') ?? 'application/json' },
    });
    if (response.status !== 200)
      throw new DiscoveryError(ErrorCodes.HTTP_ERROR, `JWKS ${url} answered HTTP ${response.status}`, {
        url,
        expected: 200,
        actual: response.status,
      });
    return new Response(response.text, { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

/** The gateway's client at the team issuer, for introspection. */
export interface IntrospectionClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * Asks the issuer's introspection endpoint about `token` through the aggregator's HTTP client,
 * authenticating with HTTP Basic (RFC 6749 §2.3.1): a form POST answered by a JSON object. A status
 * other than `200` is `HTTP_ERROR`, an answer that is not a JSON object `INVALID_JSON`; the client's
 * policy failures keep their codes (`BLOCKED_ADDRESS`, `INSECURE_URL`, `TIMEOUT`, …).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export async function introspect(
  http: HttpClient,
  endpoint: string,
  token: string,
  client: IntrospectionClient,
  init: HttpRequestInit,
): Promise<Record<string, unknown>> {
  const basic = Buffer.from(
    `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`,
  ).toString('base64');
  const response = await http.request(endpoint, {
    ...init,
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
  });
  if (response.status !== 200)
    throw new DiscoveryError(
      ErrorCodes.HTTP_ERROR,
      `introspection ${endpoint} answered HTTP ${response.status}`,
      { url: endpoint, expected: 200, actual: response.status },
    );
  const answer = response.json;
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer))
    throw new DiscoveryError(ErrorCodes.INVALID_JSON, `introspection ${endpoint} answered no JSON object`, {
      url: endpoint,
      expected: 'a JSON object',
      actual: Array.isArray(answer) ? 'array' : typeof answer,
    });
  return answer as Record<string, unknown>;
}
