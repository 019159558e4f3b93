import type { HttpClient, HttpRequestInit } from '@oauth-discovery/core';
import type { CustomFetch } from 'openid-client';

/** Statuses whose responses carry no body (the `Response` constructor refuses one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(body));
  // openid-client only sends form bodies; a stream would mean a feature this adapter does not carry.
  throw new TypeError('oauth-discovery customFetch: streamed request bodies are not supported');
}

/**
 * An openid-client `customFetch` that sends every request through our {@link HttpClient}: its SSRF guard
 * (connect-time address check), timeouts, body cap and redirect policy apply to the token, registration
 * and refresh requests too, not just to discovery. The answer is the real response, read in full.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-7.7
 */
export function httpClientFetch(http: HttpClient, init: HttpRequestInit = {}): CustomFetch {
  return async (url, options) => {
    const method = options.method.toUpperCase();
    if (method !== 'GET' && method !== 'POST') {
      throw new TypeError(
        `oauth-discovery customFetch: ${method} ${url} is not supported (GET and POST only)`,
      );
    }
    const body = bodyText(options.body);
    const response = await http.request(url, {
      ...init,
      method,
      headers: { ...init.headers, ...options.headers },
      body: body ?? init.body,
      signal: options.signal ?? init.signal,
      expect: 'any',
    });
    return new Response(NULL_BODY.has(response.status) ? null : response.text, {
      status: response.status,
      headers: response.headers,
    });
  };
}
