import { DiscoveryError, ErrorCodes } from '../errors.js';
import { isLoopbackHost } from '../http/address-policy.js';

/**
 * Whether `url` may be used for an endpoint found in metadata: `https:`, or `http:` only when the host
 * is a loopback host (`localhost`, `*.localhost`, `127.0.0.0/8`, `::1`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#communication-security
 */
export function isSecureUrl(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/**
 * Throws unless the URL in `field` of the document at `documentUrl` passes {@link isSecureUrl}.
 *
 * @throws {DiscoveryError} `INVALID_METADATA` when `value` is not an absolute URL; `INSECURE_URL` when it
 *   is `http:` for a host that is not loopback or uses another scheme.
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
  if (!isSecureUrl(url)) {
    throw new DiscoveryError(
      ErrorCodes.INSECURE_URL,
      `Metadata at ${documentUrl}: ${field} ${JSON.stringify(value)} must use https: (http: is allowed only for loopback hosts), got ${url.protocol}//${url.host}`,
      {
        url: documentUrl,
        expected: `${field}: an https URL or an http URL on a loopback host`,
        actual: value,
      },
    );
  }
}
