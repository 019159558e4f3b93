import {
  type DiscoveryStrategy,
  fetchResourceMetadata,
  type IssuerCandidate,
  type ResourceMetadataFound,
  tryInOrder,
} from '@oauth-discovery/core';
import { resourceMetadataUrls } from './urls.js';

/**
 * RFC 9728 protected resource metadata discovery, strategy name `rfc9728`.
 *
 * Tries the challenge's `resource_metadata` URL when known, then the path-aware well-known URL, then
 * the root one ({@link resourceMetadataUrls}); the first document that passes validation wins. Each
 * document must name the requested resource (RFC 9728 §3.3): a mismatch is `RESOURCE_MISMATCH` and
 * stops discovery — it never falls through to the next URL. Contributes the metadata and every
 * `authorization_servers` entry, in order, as issuer candidates (source `rfc9728`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#protected-resource-metadata-discovery-requirements
 */
export function rfc9728(): DiscoveryStrategy {
  return {
    name: 'rfc9728',
    contributes: ['resourceMetadata', 'issuers'],
    async run(ctx) {
      const header = ctx.state.challenge?.resourceMetadata;
      if (header !== undefined && !URL.canParse(header)) {
        ctx.note(
          `ignored resource_metadata ${JSON.stringify(header)} from the challenge: not an absolute URL`,
        );
      }
      const result = await tryInOrder<ResourceMetadataFound>(
        ctx,
        resourceMetadataUrls(ctx.state).map(({ url, label }) => ({
          url,
          label,
          fetch: () => fetchResourceMetadata(ctx.http, url, ctx.state.resource),
        })),
      );
      if (result.status === 'not-found') return { status: 'not-found', reason: result.reason };

      const found = result.value;
      const servers = found.document.authorization_servers ?? [];
      if (servers.length === 0) {
        ctx.note(`the protected resource metadata at ${found.url} names no authorization_servers`);
        return { status: 'found', contribution: { resourceMetadata: found } };
      }
      const issuers: IssuerCandidate[] = servers.map((issuer) => ({ issuer, source: 'rfc9728' }));
      return { status: 'found', contribution: { resourceMetadata: found, issuers } };
    },
    prefetch(state) {
      return resourceMetadataUrls(state).map((entry) => entry.url);
    },
  };
}
