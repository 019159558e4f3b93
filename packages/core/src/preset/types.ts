import type { MetadataUrlKind, ProviderHints } from '../types.js';
import type { ResourceMatch } from './resource-match.js';

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
  /**
   * `thin` when the evidence is weak (one capture, no public thread, a detail the source does not
   * state): shown with the fact, so nobody mistakes a guess for an observation. Default: reported.
   */
  readonly evidence?: 'reported' | 'thin';
}

/**
 * Which protected resources an entry applies to: the vocabulary shared with static configuration
 * ({@link ResourceMatch}: a URL string or `{ url }` with one trailing `/` not significant,
 * `{ origin, pathPrefix? }`, `{ prefix }`, `{ pattern }`).
 */
export type PresetResourceMatch = ResourceMatch;

/**
 * An issuer the metadata may name instead of the expected one: a plain issuer, or one with the facts
 * that say when it was seen (issuers change over time: Slack named `https://slack.com` in 2026-03 and
 * `https://mcp.slack.com` in 2026-08). The facts are cited in the trace when the alias is used.
 */
export type PresetAcceptedIssuer = string | { readonly issuer: string; readonly facts: readonly string[] };

/** An issuer candidate a preset contributes (becomes an `IssuerCandidate` with `source: 'preset:<name>'`). */
export interface PresetIssuer {
  readonly issuer: string;
  /**
   * Issuers the metadata may name instead of `issuer`: exactly the ones observed, nothing broader.
   * This is the traced exception to RFC 8414 §3.3.
   *
   * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
   */
  readonly acceptedIssuers?: readonly PresetAcceptedIssuer[];
}

/**
 * A resource identifier the protected resource metadata may name for the resources of this entry,
 * instead of the requested one (HubSpot's root PRM names only `https://mcp.hubspot.com`). Accepted only
 * for resources the entry matches; traced as a relaxation of RFC 9728 §3.3 naming the facts.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.3
 */
export interface PresetResourceIdentifierException {
  /** The `resource` value accepted (on one of the preset hosts). */
  readonly resource: string;
  /** Ids of the facts this exception rests on (at least one). */
  readonly facts: readonly string[];
}

/** An issuer policy a preset contributes (becomes an `IssuerPolicy` with `source: 'preset:<name>'`). */
export interface PresetIssuerPolicy {
  /** The issuers it applies to: one exact issuer, or every issuer starting with `prefix`. */
  readonly match: { readonly exact: string } | { readonly prefix: string };
  readonly acceptedIssuers?: readonly PresetAcceptedIssuer[];
  /** Restricts which well-known URL forms are tried for matching issuers. */
  readonly metadataUrlKinds?: readonly MetadataUrlKind[];
  /**
   * Where the metadata of matching issuers lives when it is not at a well-known URL (on one of the
   * preset hosts). Replaces the well-known URLs for these issuers; the issuer check still applies.
   */
  readonly metadataUrl?: string;
  /**
   * Prefer these issuers when the protected resource metadata lists several authorization servers (see
   * `chooseAuthorizationServer`).
   */
  readonly pin?: boolean;
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
  /** Exceptions to the RFC 9728 §3.3 resource check for these resources (see the type). */
  readonly resourceIdentifierExceptions?: readonly PresetResourceIdentifierException[];
  /**
   * Flow hints for these resources (`omitResourceParameter`, `extraAuthorizationParameters`,
   * `preferredRegistration`, `registrationFields`, `requiresPreregisteredClient` with
   * `preregisteredClientMessage`, …). Cited facts are added as `notes`.
   */
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
