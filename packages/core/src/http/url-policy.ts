import { DiscoveryError, ErrorCodes } from '../errors.js';
import { isLoopbackHost } from './address-policy.js';

/**
 * `value` as an absolute `http:` or `https:` URL, or `null` when it is not one (not a URL, relative,
 * or another scheme). The one "parse an HTTP URL or nothing" of the project.
 *
 * @see https://url.spec.whatwg.org/#concept-url-parser
 */
export function parseHttpUrl(value: string | URL | undefined): URL | null {
  if (value === undefined) return null;
  const url = URL.parse(String(value));
  return url !== null && (url.protocol === 'https:' || url.protocol === 'http:') ? url : null;
}

/**
 * `value` parsed as an absolute URL of any scheme — the throwing "parse a URL" of the project; `role`
 * names the value in the message (`Resource`, `Issuer`, `Metadata field token_endpoint`).
 *
 * @throws {DiscoveryError} `INVALID_URL` when `value` is not an absolute URL.
 * @see https://url.spec.whatwg.org/#concept-url-parser
 */
export function requireAbsoluteUrl(value: string | URL, role: string, expected = 'an absolute URL'): URL {
  try {
    return new URL(value);
  } catch (cause) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_URL,
      `${role} ${JSON.stringify(String(value))} is not an absolute URL`,
      {
        url: String(value),
        expected,
        actual: String(value),
        cause,
      },
    );
  }
}

/**
 * `value` parsed as an absolute `http:` or `https:` URL: the throwing twin of {@link parseHttpUrl}.
 * Whether plain `http:` may be used is {@link urlSecurityProblem}'s rule, checked where a request is made.
 *
 * @throws {DiscoveryError} `INVALID_URL` when `value` is not an absolute URL or has another scheme.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-4.2
 */
export function requireHttpUrl(value: string | URL, role: string): URL {
  const url = requireAbsoluteUrl(value, role, 'an absolute http(s) URL');
  if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  throw new DiscoveryError(
    ErrorCodes.INVALID_URL,
    `${role} ${JSON.stringify(String(value))} has scheme ${url.protocol}, expected https: (or http: for loopback)`,
    { url: String(value), expected: 'https:', actual: url.protocol },
  );
}

/**
 * What makes `url` unfit to be requested or to name an endpoint, or `undefined` when it is fit — the
 * one "HTTPS except loopback" rule: `https:`, or `http:` only for a loopback host (see
 * {@link isLoopbackHost}); never another scheme; never a user name or password in the URL.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#communication-security
 */
export function urlSecurityProblem(url: URL): 'scheme' | 'plain-http' | 'credentials' | undefined {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'scheme';
  if (url.username !== '' || url.password !== '') return 'credentials';
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return 'plain-http';
  return undefined;
}

/**
 * Checks a URL before any packet is sent and returns it parsed, without its fragment.
 *
 * - not an absolute URL → `INVALID_URL`;
 * - a scheme other than `https:`/`http:` → `INSECURE_URL`;
 * - `http:` for a host that is not loopback (see {@link isLoopbackHost}) → `INSECURE_URL`;
 * - a user name or password in the URL → `INSECURE_URL` (credentials must never travel in metadata URLs).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-7.1
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-6
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#communication-security
 */
export function assertRequestUrl(input: string | URL): URL {
  const url = requireAbsoluteUrl(input, 'URL', 'an absolute https: URL');
  const shown = redactCredentials(url);
  const problem = urlSecurityProblem(url);
  if (problem === 'scheme') {
    throw new DiscoveryError(
      ErrorCodes.INSECURE_URL,
      `Refusing ${shown}: scheme ${url.protocol} is not allowed, only https: (http: for loopback hosts)`,
      { url: shown, expected: 'https:', actual: url.protocol },
    );
  }
  if (problem === 'plain-http') {
    throw new DiscoveryError(
      ErrorCodes.INSECURE_URL,
      `Refusing ${shown}: plain http: is only allowed for loopback hosts, and ${url.hostname} is not one`,
      { url: shown, expected: 'https: (http: only for localhost, 127.0.0.0/8, [::1])', actual: 'http:' },
    );
  }
  if (problem === 'credentials') {
    throw new DiscoveryError(
      ErrorCodes.INSECURE_URL,
      `Refusing ${shown}: credentials in the URL are not allowed`,
      {
        url: shown,
        expected: 'a URL without user name or password',
        actual: 'credentials in the URL',
      },
    );
  }
  url.hash = '';
  return url;
}

/** The URL as text with any user name and password replaced, safe for messages and traces. */
function redactCredentials(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.username = 'REDACTED';
  copy.password = '';
  return copy.href;
}
