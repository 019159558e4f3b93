import { isDiscoveryError } from '@oauth-discovery/core';
import { createHttpClient } from '@oauth-discovery/core/http';
import { fetchAuthorizationServerMetadata } from '@oauth-discovery/core/metadata';

/** What a client that applies RFC 8414 §3.3 strictly makes of the metadata at the resource's origin. */
export interface StrictVerdict {
  readonly metadataUrl: string;
  /** The issuer the URL was built from (the origin). */
  readonly expected: string;
  /** `null` when the strict client accepted the document. */
  readonly rejected: { readonly code: string; readonly message: string } | null;
}

/**
 * Fetches `<origin>/.well-known/oauth-authorization-server` expecting the origin as issuer, as a
 * strict RFC 8414 client (MCP TypeScript SDK v2, MCP 2026-07-28) does when it has no other lead.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export async function strictClientVerdict(resource: string): Promise<StrictVerdict> {
  const origin = new URL(resource).origin;
  const metadataUrl = `${origin}/.well-known/oauth-authorization-server`;
  const http = createHttpClient({ allowAddressRanges: ['loopback'] });
  try {
    await fetchAuthorizationServerMetadata(http, metadataUrl, { issuer: origin, source: 'strict-client' });
    return { metadataUrl, expected: origin, rejected: null };
  } catch (error) {
    if (!isDiscoveryError(error)) throw error;
    return { metadataUrl, expected: origin, rejected: { code: error.code, message: error.message } };
  } finally {
    await http.close();
  }
}
