import type { MetadataUrlKind, ProviderHints } from '../types.js';

/**
 * One thing someone observed a provider doing, with the day it was observed and where it was reported.
 * Providers change: a preset cites the facts it relies on, so a person reading a trace can tell how old
 * the knowledge is and where to check it again.
 */
export interface PresetFact {
  /** Key the rest of the definition cites the fact by: kebab-case, unique within the preset (`v1-foreign-issuer`). */
  readonly id: string;
  /** What was observed, in one sentence a user can read in a trace. */
  readonly statement: string;
  /**
   * Day it was observed, `YYYY-MM-DD`. When the source only gives a month or a year, write `YYYY-MM` or
   * `YYYY` (ISO 8601 reduced precision) rather than inventing a day.
   */
  readonly observed: string;
  /** Where it was reported: a URL, or a short reference such as `muster issue #599`. */
  readonly source: string;
}

/**
 * Which protected resources an entry applies to.
 *
 * - `{ url }`: exactly this resource (compared after URL normalisation: scheme and host case, default
 *   port; the path, its trailing `/` and the query must be identical — list both slash forms when a
 *   provider serves both);
 * - `{ origin, pathPrefix? }`: every resource on this origin, or only those whose path is `pathPrefix`
 *   or lies below it (`/v2` matches `/v2` and `/v2/mcp`, not `/v20`).
 */
export type PresetResourceMatch =
  | { readonly url: string }
  | { readonly origin: string; readonly pathPrefix?: string };

/** An issuer candidate a preset contributes (becomes an `IssuerCandidate` with `source: 'preset:<name>'`). */
export interface PresetIssuer {
  readonly issuer: string;
  /**
   * Issuers the metadata may name instead of `issuer`: exactly the ones observed, nothing broader.
   * This is the traced exception to RFC 8414 §3.3.
   *
   * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
   */
  readonly acceptedIssuers?: readonly string[];
}

/** An issuer policy a preset contributes (becomes an `IssuerPolicy` with `source: 'preset:<name>'`). */
export interface PresetIssuerPolicy {
  /** The issuers it applies to: one exact issuer, or every issuer starting with `prefix`. */
  readonly match: { readonly exact: string } | { readonly prefix: string };
  readonly acceptedIssuers?: readonly string[];
  /** Restricts which well-known URL forms are tried for matching issuers. */
  readonly metadataUrlKinds?: readonly MetadataUrlKind[];
  /** Hints that hold whenever a matching issuer is the one used. Cited facts are added as `notes`. */
  readonly hints?: ProviderHints;
  /** Ids of the facts this policy rests on (at least one). */
  readonly facts: readonly string[];
}

/** What a preset knows about a group of its provider's protected resources. */
export interface PresetResource {
  /** Short name for traces: `Atlassian v1 MCP endpoint`. */
  readonly label: string;
  /** The resources it applies to (any of them). */
  readonly match: readonly PresetResourceMatch[];
  /** Issuer candidates, in preference order. */
  readonly issuers?: readonly PresetIssuer[];
  /** Policies for the authorization servers of these resources (also for issuers learned later, e.g. from PRM). */
  readonly issuerPolicies?: readonly PresetIssuerPolicy[];
  /** Hints for these resources. Cited facts are added as `notes`. */
  readonly hints?: ProviderHints;
  /** Ids of the facts this entry rests on (at least one). */
  readonly facts: readonly string[];
}

/**
 * A provider preset as data: its facts, the resources it recognises and what it contributes for them.
 * Turned into a strategy by `createPresetStrategy`.
 */
export interface PresetDefinition {
  /** kebab-case; the strategy is named `preset:<name>`. */
  readonly name: string;
  /** Provider name for people: `Atlassian`, `Microsoft Entra ID`. */
  readonly title: string;
  readonly description: string;
  /**
   * Every real origin the definition names (`https://mcp.atlassian.com`). Every issuer, accepted issuer
   * and policy match must lie on one of them, so the `hosts` override of `createPresetStrategy` can move
   * the whole preset onto a loopback replica.
   */
  readonly hosts: readonly string[];
  readonly facts: readonly PresetFact[];
  /** Resource entries; the first one that matches the resource applies. */
  readonly resources?: readonly PresetResource[];
  /**
   * Policies about the provider's authorization servers that hold whatever the resource (Entra: match
   * issuers, not resources). Contributed for every resource.
   */
  readonly issuerPolicies?: readonly PresetIssuerPolicy[];
}

/** Options every preset strategy accepts. */
export interface PresetStrategyOptions {
  /**
   * Replaces real origins the preset names by other origins, e.g.
   * `{ 'https://mcp.atlassian.com': 'http://127.0.0.2:41234' }`, in every URL of the definition (resource
   * matchers, issuers, accepted issuers, policy matches). For tests against a loopback replica, and for
   * self-hosted deployments of a provider. Keys must be among the definition's `hosts`.
   */
  readonly hosts?: Readonly<Record<string, string>>;
}

/** One fact as `listPresetFacts` reports it. */
export interface PresetFactListing extends PresetFact {
  /** Name of the preset (`atlassian`). */
  readonly preset: string;
  /** Labels of the resource entries and policy matches that cite the fact. */
  readonly usedBy: readonly string[];
}
