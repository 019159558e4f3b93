import { requireAbsoluteUrl } from '../http/url-policy.js';

/**
 * Normalises a protected resource identifier for comparison: scheme and host lower-cased, the default
 * port dropped, an empty path written as `/`, dot segments resolved, the fragment dropped; the query
 * and the path's case and trailing slash are kept. This is WHATWG URL serialisation without the fragment.
 *
 * @throws {DiscoveryError} `INVALID_URL` when `url` is not an absolute URL.
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-1.2
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export function normalizeResource(url: string | URL): string {
  const parsed = requireAbsoluteUrl(url, 'Resource');
  parsed.hash = '';
  return parsed.href;
}

function tryNormalize(url: string | URL): URL | null {
  try {
    return new URL(normalizeResource(url));
  } catch {
    return null;
  }
}

function withoutOneTrailingSlash(pathname: string): string {
  return pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
}

/**
 * Whether the `resource` named by protected resource metadata (`advertised`) identifies the resource
 * the client asked for (`requested`).
 *
 * Both are normalised with {@link normalizeResource} and must then be identical, with one tolerance:
 * a single trailing `/` on the path is not significant (`https://x/mcp/` ≡ `https://x/mcp`), because
 * providers publish both forms for the same server (GitHub). Every other difference is a mismatch:
 * another path (`/mcp` vs `/mcp/v2`, `/mcp` vs `/`), another query, another host, scheme or port.
 * Returns `false` when either value is not an absolute URL.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.3
 */
export function resourcesMatch(requested: string | URL, advertised: string | URL): boolean {
  const a = tryNormalize(requested);
  const b = tryNormalize(advertised);
  return a !== null && b !== null && sameResource(a, b);
}

/**
 * {@link resourcesMatch} for two URLs already parsed and without fragment: the same normalised URL, or
 * the same but for one trailing `/` on the path.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.3
 */
export function sameResource(a: URL, b: URL): boolean {
  if (a.href === b.href) return true;
  return (
    a.protocol === b.protocol &&
    a.host === b.host &&
    a.username === b.username &&
    a.password === b.password &&
    a.search === b.search &&
    withoutOneTrailingSlash(a.pathname) === withoutOneTrailingSlash(b.pathname)
  );
}

const ORIGIN_ONLY = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+$/i;

/**
 * Whether two issuer identifiers are the same issuer (RFC 8414 §3.3: "identical").
 *
 * The comparison is on the exact strings: no case folding of the host, no default-port removal, no
 * trailing-slash tolerance on a path (`https://as.example/tenant` ≠ `https://as.example/tenant/`).
 * The one exception: for an issuer that is only an origin, a trailing `/` is not significant
 * (`https://as.example` ≡ `https://as.example/`), because URL serialisation adds it and providers and
 * their `authorization_servers` lists disagree on it (Google, Box, Semgrep).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function issuersMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return longer === `${shorter}/` && ORIGIN_ONLY.test(shorter) && URL.canParse(shorter);
}
