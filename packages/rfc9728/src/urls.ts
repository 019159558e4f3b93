import type { DiscoveryState } from '@oauth-discovery/core';
import { protectedResourceMetadataUrls } from '@oauth-discovery/core/metadata';

/** Where a protected resource metadata URL came from. */
export type ResourceMetadataUrlLabel = 'resource_metadata' | 'path-aware' | 'root';

/** One URL to try for protected resource metadata. */
export interface ResourceMetadataUrl {
  readonly url: string;
  readonly label: ResourceMetadataUrlLabel;
}

/**
 * The URLs of the resource's protected resource metadata, in the order to try them (MCP 2025-11-25):
 * the `resource_metadata` URL of the challenge when known (RFC 9728 §5.1), then the path-aware
 * well-known URL, then the root one (RFC 9728 §3.1). A URL is listed once (a header URL equal to a
 * well-known URL keeps the header's place); a header value that is not an absolute URL is left out.
 *
 * @throws {DiscoveryError} `INVALID_URL` when `state.resource` is not an absolute http(s) URL.
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.1
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-5.1
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#protected-resource-metadata-discovery-requirements
 */
export function resourceMetadataUrls(state: Readonly<DiscoveryState>): ResourceMetadataUrl[] {
  const { pathAware, root } = protectedResourceMetadataUrls(state.resource);
  const fromHeader = state.challenge?.resourceMetadata;
  const all: ResourceMetadataUrl[] = [
    ...(fromHeader !== undefined && URL.canParse(fromHeader)
      ? [{ url: new URL(fromHeader).href, label: 'resource_metadata' as const }]
      : []),
    ...(pathAware === null ? [] : [{ url: pathAware, label: 'path-aware' as const }]),
    { url: root, label: 'root' },
  ];
  return all.filter((entry, index) => all.findIndex((other) => other.url === entry.url) === index);
}
