import type { CustomFetch } from 'openid-client';

/**
 * A `customFetch` that reads a successful token endpoint answer the way this package always has:
 * `expires_in` is advice (RFC 6749 §5.1 only RECOMMENDS it), so a value openid-client would refuse —
 * not a number (`"soon"`, `null`, `"NaN"`) or negative — makes a token without a known expiry (or one
 * already due) instead of a failed login. The value then goes through `expiresAtFrom`'s clamp. Every
 * other byte, and every other request, passes unchanged.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function lenientExpiresIn(fetch: CustomFetch, tokenEndpoint: string | undefined): CustomFetch {
  const endpoint = tokenEndpoint === undefined ? undefined : new URL(tokenEndpoint).href;
  return async (url, options) => {
    const response = await fetch(url, options);
    if (endpoint === undefined || new URL(url).href !== endpoint || !response.ok) return response;
    const text = await response.text();
    const init = { status: response.status, statusText: response.statusText, headers: response.headers };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return new Response(text, init);
    }
    if (typeof body !== 'object' || body === null || !('expires_in' in body)) return new Response(text, init);
    const value = (body as { expires_in: unknown }).expires_in;
    const seconds =
      typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : NaN;
    if (Number.isFinite(seconds) && seconds >= 0) return new Response(text, init);
    const { expires_in: _dropped, ...rest } = body as Record<string, unknown>;
    const fixed = Number.isNaN(seconds) ? rest : { ...rest, expires_in: 0 };
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(fixed), { ...init, headers });
  };
}
