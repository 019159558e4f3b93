import {
  DiscoveryError,
  type DiscoveryStrategy,
  ErrorCodes,
  type IssuerCandidate,
  type ResourceIdentifierException,
  type ResourceMetadataFound,
  type StrategyContext,
} from '@oauth-discovery/core';
import { fetchResourceMetadata, resourcesMatch } from '@oauth-discovery/core/metadata';
import {
  describeResourceIdentifierException,
  findResourceIdentifierException,
} from '@oauth-discovery/core/preset';
import { announcesResourceMetadata, tryInOrder } from '@oauth-discovery/core/strategy-kit';
import { type ResourceMetadataUrl, resourceMetadataUrls } from './urls.js';

/**
 * GETs and validates one protected resource metadata URL for `resource` (RFC 9728 §3.3).
 *
 * The resource identifier a client "used" for a URL is the one the well-known suffix was inserted
 * into: the full resource for the path-aware URL and for a `resource_metadata` URL from the challenge
 * (§5.1), but the bare origin for the root URL. So a document fetched from the **root** URL may name
 * either the requested resource or its origin (`https://mcp.example.com/` for
 * `https://mcp.example.com/mcp`: Vercel, Box, HubSpot, Stripe); every other difference — and an origin
 * `resource` anywhere else — stays `RESOURCE_MISMATCH`, unless a preset contributed an `exceptions`
 * entry for exactly the named resource (traced as a relaxation naming its fact).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.3
 */
export async function fetchResourceMetadataAt(
  ctx: Pick<StrategyContext, 'http' | 'note'>,
  entry: ResourceMetadataUrl,
  resource: string,
  exceptions: readonly ResourceIdentifierException[] = [],
): Promise<ResourceMetadataFound> {
  const origin = new URL(resource).origin;
  const fromRoot = entry.label === 'root' ? [origin] : [];
  const found = await fetchResourceMetadata(ctx.http, entry.url, [
    resource,
    ...fromRoot,
    ...exceptions.map((exception) => exception.resource),
  ]);
  const named = found.document.resource;
  if (resourcesMatch(resource, named)) return found;
  if (fromRoot.length > 0 && resourcesMatch(origin, named)) {
    ctx.note(
      `the root metadata at ${entry.url} names the origin ${named} as its resource: accepted for ${resource} (RFC 9728 §3.3, the root URL is built from the origin)`,
    );
    return found;
  }
  const exception = findResourceIdentifierException(exceptions, named);
  if (exception !== undefined) ctx.note(describeResourceIdentifierException(exception, entry.url, resource));
  return found;
}

/** Default of {@link Rfc9728Options.maxAuthorizationServers}. */
export const DEFAULT_MAX_AUTHORIZATION_SERVERS = 5;

/** Options of {@link rfc9728}. */
export interface Rfc9728Options {
  /**
   * How many `authorization_servers` entries are considered, in order (the first usable one wins);
   * the rest are ignored and the trace says how many. Bounds what one hostile or careless document
   * can make a client request (RFC 9728 §7.6 leaves the choice to the client). Default 5.
   */
  readonly maxAuthorizationServers?: number | undefined;
}

/**
 * RFC 9728 protected resource metadata discovery, strategy name `rfc9728`.
 *
 * Tries the challenge's `resource_metadata` URL when known, then the path-aware well-known URL, then
 * the root one ({@link resourceMetadataUrls}); the first document that passes validation wins. Each
 * document must name the requested resource (RFC 9728 §3.3) — or, at the root URL only, its origin
 * (see {@link fetchResourceMetadataAt}): a mismatch is `RESOURCE_MISMATCH` and stops discovery — it
 * never falls through to the next URL. Contributes the metadata and every `authorization_servers`
 * entry, in order, as issuer candidates (source `rfc9728`) — at most `maxAuthorizationServers` of them.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` when `maxAuthorizationServers` is not an integer >= 1.
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#protected-resource-metadata-discovery-requirements
 */
export function rfc9728(options: Rfc9728Options = {}): DiscoveryStrategy {
  const max = options.maxAuthorizationServers ?? DEFAULT_MAX_AUTHORIZATION_SERVERS;
  if (!Number.isInteger(max) || max < 1) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      'rfc9728 option maxAuthorizationServers must be an integer >= 1',
      {
        expected: 'an integer >= 1',
        actual: max,
      },
    );
  }
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
        resourceMetadataUrls(ctx.state).map((entry) => ({
          url: entry.url,
          label: entry.label,
          fetch: () =>
            fetchResourceMetadataAt(
              ctx,
              entry,
              ctx.state.resource,
              ctx.state.hints.resourceIdentifierExceptions,
            ),
        })),
      );
      if (result.status === 'not-found') {
        return { status: 'not-found', reason: result.reason, misses: result.misses };
      }

      const found = result.value;
      const servers = found.document.authorization_servers ?? [];
      if (servers.length === 0) {
        ctx.note(`the protected resource metadata at ${found.url} names no authorization_servers`);
        return { status: 'found', contribution: { resourceMetadata: found } };
      }
      if (servers.length > max) {
        ctx.note(
          `the protected resource metadata at ${found.url} lists ${servers.length} authorization_servers; only the first ${max} are considered (maxAuthorizationServers)`,
        );
      }
      const issuers: IssuerCandidate[] = servers
        .slice(0, max)
        .map((issuer) => ({ issuer, source: 'rfc9728' }));
      return { status: 'found', contribution: { resourceMetadata: found, issuers } };
    },
    prefetch(state) {
      const urls = resourceMetadataUrls(state);
      // When the challenge names the PRM, the well-known URLs are a fallback: fetched if it fails, not ahead.
      const ahead = announcesResourceMetadata(state)
        ? urls.filter((entry) => entry.label === 'resource_metadata')
        : urls;
      return ahead.map((entry) => entry.url);
    },
  };
}
