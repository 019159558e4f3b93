import { type AuthorizationServerMetadata, DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { isLoopbackHost, requireAbsoluteUrl } from '@oauth-discovery/core/http';

/**
 * Name of the relaxation {@link toOpenidClientConfiguration} applies when the authorization server's
 * endpoints are plain `http:` on loopback hosts: openid-client's `allowInsecureRequests`.
 */
export const LOOPBACK_HTTP_RELAXATION = 'allowInsecureRequests (loopback http: endpoints)';

/** Metadata fields that hold URLs openid-client may send requests to or send the user to. */
const URL_FIELDS = [
  'issuer',
  'authorization_endpoint',
  'token_endpoint',
  'registration_endpoint',
  'jwks_uri',
  'userinfo_endpoint',
  'revocation_endpoint',
  'introspection_endpoint',
  'pushed_authorization_request_endpoint',
  'device_authorization_endpoint',
  'end_session_endpoint',
] as const;

/**
 * The plain `http:` URLs among the metadata's endpoints, after checking each is on a loopback host.
 * An empty list means no relaxation is needed.
 *
 * @throws {DiscoveryError} `INSECURE_URL` for an `http:` endpoint on a host that is not loopback, or
 *   any `http:` endpoint when `allowInsecureLoopback` is false.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-8.3
 */
export function insecureLoopbackEndpoints(
  metadata: AuthorizationServerMetadata,
  allowInsecureLoopback: boolean,
): string[] {
  const found: string[] = [];
  for (const field of URL_FIELDS) {
    const value = metadata[field];
    if (typeof value !== 'string') continue;
    const url = requireAbsoluteUrl(value, `Metadata field ${field}`);
    if (url.protocol === 'https:') continue;
    const loopback = url.protocol === 'http:' && isLoopbackHost(url.hostname);
    if (!loopback || !allowInsecureLoopback) {
      throw new DiscoveryError(
        ErrorCodes.INSECURE_URL,
        loopback
          ? `Metadata field ${field} is plain http (${value}) and allowInsecureLoopback is false`
          : `Metadata field ${field} is ${url.protocol} on a host that is not loopback (${value}); only https: is allowed there`,
        {
          url: value,
          expected: loopback ? 'https:' : 'https: (http: only for loopback hosts)',
          actual: url.protocol,
        },
      );
    }
    found.push(value);
  }
  return found;
}
