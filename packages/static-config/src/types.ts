import type { AuthorizationServerMetadata, ProviderHints } from '@oauth-discovery/core';
import type { ResourceMatch } from '@oauth-discovery/core/preset';

/**
 * Which resources an entry applies to: the vocabulary shared with presets (`ResourceMatch` of
 * `@oauth-discovery/core`):
 *
 * - a string or `{ url }`: exactly this resource URL (compared like the RFC 9728 resource check: scheme
 *   and host case, default port and one trailing `/` are not significant; path and query are);
 * - `{ origin, pathPrefix? }`: every resource on the origin, or those at or below `pathPrefix` (at a `/`
 *   boundary: `/v2` matches `/v2/mcp`, not `/v20`);
 * - `{ prefix }`: every resource on the prefix's origin whose path (and query) starts with the prefix's
 *   path. A plain string prefix: `https://x/api` also matches `https://x/api-v2` — end it with `/` to
 *   stay below a folder;
 * - `{ pattern }`: a glob over the whole URL, `*` matching any run of characters except `/`, `**` any run
 *   including `/`; everything else is literal (no `?`, no character classes, no regular expressions).
 *   `https://*.example.com/mcp` matches `https://eu.example.com/mcp`, never `https://evil.test/x.example.com/mcp`.
 */
export type StaticResourceMatch = ResourceMatch;

/**
 * What the operator pins for the resources an entry matches. Exactly one of these ways:
 *
 * - `issuer` alone: the issuer candidate, contributed first; `rfc8414`/`oidc` then fetch its metadata
 *   and check it strictly against `issuer` (or one of `acceptedIssuers`);
 * - `metadataUrl` (with an optional `issuer`): fetched by this strategy; its `issuer` must be `issuer`
 *   (or one of `acceptedIssuers`) when given, else it is adopted — the operator's pin of the URL is the
 *   trust decision, and the trace says so;
 * - `metadata`: the whole authorization server metadata, used as is (no request; `issuerCheck: 'configured'`).
 */
export interface StaticConfigEntry {
  readonly resource: StaticResourceMatch;
  readonly issuer?: string;
  readonly metadataUrl?: string;
  readonly metadata?: AuthorizationServerMetadata;
  /** Issuers the fetched metadata may name instead of `issuer` (with `issuer` or `metadataUrl` only). */
  readonly acceptedIssuers?: readonly string[];
  /** Scopes to request when neither the challenge nor the PRM names any (becomes `hints.defaultScopes`). */
  readonly scopes?: readonly string[];
  readonly hints?: ProviderHints;
  /**
   * Name of a provider preset (`atlassian`, `github`, …) the operator wants applied to these resources.
   * Carried as data for the composing layer (`oauth-discovery`, the aggregator), which owns the presets:
   * this package does not depend on any preset. See `findStaticConfigEntry`.
   */
  readonly preset?: string;
}

/** A static configuration: entries in matching order (the first entry that matches a resource wins). */
export interface StaticConfig {
  readonly resources: readonly StaticConfigEntry[];
}

/** The entry that matched a resource, and where it is in the configuration. */
export interface StaticConfigMatch {
  readonly entry: StaticConfigEntry;
  /** Index in `resources`. */
  readonly index: number;
}
