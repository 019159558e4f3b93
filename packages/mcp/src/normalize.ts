import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';

/**
 * The resource URL as discovery keys it: WHATWG serialisation without the fragment (the form of
 * core's `normalizeResource`), so `logout` finds what a discovery result stored.
 *
 * @throws {DiscoveryError} `INVALID_URL`
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-1.2
 */
export function normalizeResourceUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch (cause) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_URL,
      `Server URL ${JSON.stringify(String(url))} is not an absolute URL`,
      {
        url: String(url),
        expected: 'an absolute https: URL',
        actual: String(url),
        cause,
      },
    );
  }
  parsed.hash = '';
  return parsed.href;
}
