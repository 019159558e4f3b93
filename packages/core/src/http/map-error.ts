import { DiscoveryError, ErrorCodes, isDiscoveryError } from '../errors.js';
import type { ResolvedHttpClientOptions } from './client-options.js';

const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out (operating system)',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
};

/**
 * Turns whatever undici, the socket or the guard threw into a {@link DiscoveryError} for `url`:
 * connect/headers/body timeouts → `TIMEOUT` (the message says which), refused/reset/DNS/TLS →
 * `NETWORK_ERROR`. A `DiscoveryError` (from the guard or the body reader) keeps its code and gets the URL.
 */
export function toDiscoveryError(
  error: unknown,
  url: string,
  options: ResolvedHttpClientOptions,
): DiscoveryError {
  if (isDiscoveryError(error)) {
    if (error.url !== undefined) return error;
    return new DiscoveryError(error.code, `${url}: ${error.message}`, {
      url,
      expected: error.expected,
      actual: error.actual,
      cause: error.cause,
    });
  }
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const timeout = (what: string, ms: number): DiscoveryError =>
    new DiscoveryError(ErrorCodes.TIMEOUT, `${what} for ${url} timed out after ${ms} ms`, {
      url,
      expected: `${what} within ${ms} ms`,
      actual: 'timeout',
      cause: error,
    });
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return timeout('Connecting (DNS, TCP, TLS)', options.connectTimeoutMs);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return timeout('Waiting for the response headers', options.headersTimeoutMs);
    case 'UND_ERR_BODY_TIMEOUT':
      return timeout('Reading the response body (pause between chunks)', options.bodyTimeoutMs);
    case 'UND_ERR_INVALID_ARG':
      return new DiscoveryError(ErrorCodes.INVALID_CONFIG, `Invalid request to ${url}: ${detail}`, {
        url,
        expected: 'valid request headers and body',
        actual: detail,
        cause: error,
      });
  }
  const known = code === undefined ? undefined : NETWORK_CODES[code];
  const reason = known ?? (isTlsError(code, detail) ? 'TLS handshake failed' : 'network error');
  return new DiscoveryError(ErrorCodes.NETWORK_ERROR, `Request to ${url} failed: ${reason} (${detail})`, {
    url,
    expected: 'a response',
    actual: code ?? detail,
    cause: error,
  });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Happy eyeballs wraps every failed address in an AggregateError; the first says enough.
  const inner = (error as { errors?: unknown }).errors;
  return Array.isArray(inner) ? errorCode(inner[0]) : undefined;
}

function isTlsError(code: string | undefined, detail: string): boolean {
  return (
    (code !== undefined &&
      (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT'))) ||
    /certificate|ssl|tls/i.test(detail)
  );
}
