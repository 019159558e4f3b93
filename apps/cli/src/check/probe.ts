import { createHttpClient, resourceAddressRanges } from '@oauth-discovery/core/http';
import { buildProbeRequest } from 'oauth-discovery';
import { describeError } from '../exit-codes.js';
import { httpTimeouts } from '../options.js';

/** What the resource answered to an unauthenticated MCP `initialize`. */
export interface ProbeOutcome {
  readonly url: string;
  /** HTTP status; `null` when no response came. */
  readonly status: number | null;
  /** The `WWW-Authenticate` header, `null` when absent. */
  readonly wwwAuthenticate: string | null;
  /** Why no response came. */
  readonly error: { readonly code: string; readonly message: string } | null;
}

/**
 * Sends one unauthenticated MCP `initialize` to the resource, as a streamable HTTP client does
 * first, to see how it challenges (status and `WWW-Authenticate`). Never throws.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-server-location
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-5.1
 */
export async function probeResource(
  url: string,
  options: { readonly allowPrivateNetwork?: boolean | undefined; readonly timeoutMs: number },
): Promise<ProbeOutcome> {
  const http = createHttpClient({
    ...httpTimeouts(options.timeoutMs),
    allowPrivateNetwork: options.allowPrivateNetwork,
  });
  try {
    const response = await http.request(url, {
      ...buildProbeRequest({ name: 'oauth-discovery-check', version: '0.0.0' }),
      expect: 'any',
      allowAddressRanges: resourceAddressRanges(new URL(url)),
    });
    return {
      url,
      status: response.status,
      wwwAuthenticate: response.headers['www-authenticate'] ?? null,
      error: null,
    };
  } catch (error) {
    return { url, status: null, wwwAuthenticate: null, error: describeError(error) };
  } finally {
    await http.close();
  }
}
