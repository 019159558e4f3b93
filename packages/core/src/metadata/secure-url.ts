import { DiscoveryError, ErrorCodes } from '../errors.js';
import { urlSecurityProblem } from '../http/url-policy.js';

/**
 * Whether `url` may be used for an endpoint found in metadata: `https:`, or `http:` only when the host
 * is a loopback host (`localhost`, `*.localhost`, `127.0.0.0/8`, `::1`); and no user name or password
 * in the URL (the same rule the HTTP client applies before sending a request).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#communication-security
 */
export function isSecureUrl(url: URL): boolean {
  return urlSecurityProblem(url) === undefined;
}

/**
 * Throws unless the URL in `field` of the document at `documentUrl` passes {@link isSecureUrl}.
 *
 * @throws {DiscoveryError} `INVALID_METADATA` when `value` is not an absolute URL; `INSECURE_URL` when it
 *   is `http:` for a host that is not loopback, uses another scheme, or carries credentials.
 */
export function assertSecureUrl(field: string, value: string, documentUrl: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_METADATA,
      `Metadata at ${documentUrl}: ${field} ${JSON.stringify(value)} is not an absolute URL`,
      { url: documentUrl, expected: `${field}: an absolute URL`, actual: value, cause },
    );
  }
  const problem = urlSecurityProblem(url);
  if (problem === undefined) return;
  const why =
    problem === 'credentials'
      ? 'must not contain a user name or password'
      : `must use https: (http: only for loopback hosts), got ${url.protocol}//${url.host}`;
  // The value is reported as-is except for credentials, which never go into messages or traces.
  const shown = problem === 'credentials' ? `${url.protocol}//…@${url.host}` : value;
  throw new DiscoveryError(
    ErrorCodes.INSECURE_URL,
    `Metadata at ${documentUrl}: ${field} ${JSON.stringify(shown)} ${why}`,
    {
      url: documentUrl,
      expected: `${field}: an https URL (or http on a loopback host) without credentials`,
      actual: shown,
    },
  );
}
