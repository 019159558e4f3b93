import { isDiscoveryError } from '../errors.js';
import { type EffectiveIssuerPolicy, issuerPolicyFor, issuerPolicyMatches } from '../issuer-policy.js';
import { fetchAuthorizationServerMetadata } from '../metadata/fetch.js';
import { issuersMatch } from '../metadata/resource.js';
import type { MetadataUrlCandidate } from '../metadata/well-known.js';
import type {
  AuthorizationServerFound,
  DiscoveryState,
  IssuerCandidate,
  MetadataUrlKind,
  StrategyContext,
  StrategyOutcome,
} from '../types.js';
import { announcesResourceMetadata } from './announced.js';
import {
  type ClientRegistrationCapabilities,
  chooseAuthorizationServer,
} from './choose-authorization-server.js';
import { tryInOrder } from './try-in-order.js';

/** How one standard builds authorization server metadata URLs; shared by the `rfc8414` and `oidc` strategies. */
export interface AuthorizationServerSearch {
  /** Strategy name: the `source` of the result and of the trace notes. */
  readonly source: string;
  /** Every metadata URL this standard knows for `issuer`, in order. May throw `INVALID_URL`. */
  readonly urlsFor: (issuer: string) => readonly MetadataUrlCandidate[];
  /**
   * The metadata URL at the resource's origin for the MCP 2025-03-26 fallback (used only when there is
   * no protected resource metadata and no issuer candidate); `undefined` turns the fallback off.
   */
  readonly legacyOriginUrl?: ((origin: string) => string) | undefined;
  /**
   * How this client can register, to choose among several authorization servers (see
   * `chooseAuthorizationServer`); unset: the first whose metadata validates.
   */
  readonly registration?: ClientRegistrationCapabilities | undefined;
}

/** One metadata URL to try for one issuer candidate. */
export interface CandidateMetadataUrl extends MetadataUrlCandidate {
  readonly candidate: IssuerCandidate;
  readonly policy: EffectiveIssuerPolicy;
}

/** The URLs to try for every candidate, and why a candidate got none. */
export interface CandidatePlan {
  readonly urls: readonly CandidateMetadataUrl[];
  /** One line per candidate that has no URL to try (invalid issuer, or its policy excludes every form). */
  readonly skipped: readonly string[];
}

function isOriginOnly(issuer: string): boolean {
  try {
    const url = new URL(issuer);
    return url.pathname === '/' || url.pathname === '';
  } catch {
    return false;
  }
}

function kindAllowed(
  kind: MetadataUrlKind,
  allowed: readonly MetadataUrlKind[],
  originOnly: boolean,
): boolean {
  if (allowed.includes(kind)) return true;
  // For an origin-only issuer OIDC insertion and appending are the same URL.
  return originOnly && kind.startsWith('oidc-') && allowed.some((k) => k.startsWith('oidc-'));
}

/**
 * The metadata URLs of every issuer candidate in `state`, in candidate order, each candidate's URLs in
 * the order `search.urlsFor` gives them, minus the forms its effective {@link IssuerPolicy} excludes
 * (`metadataUrlKinds`). Pure: used by `run` and by `prefetch`.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-server-metadata-discovery
 */
export function candidateMetadataUrls(
  state: Readonly<DiscoveryState>,
  search: AuthorizationServerSearch,
): CandidatePlan {
  const urls: CandidateMetadataUrl[] = [];
  const skipped: string[] = [];
  for (const candidate of state.issuers) {
    const policy = issuerPolicyFor(candidate, state.issuerPolicies);
    let all: readonly MetadataUrlCandidate[];
    try {
      all = search.urlsFor(candidate.issuer);
    } catch (error) {
      if (!isDiscoveryError(error)) throw error;
      skipped.push(`candidate ${candidate.issuer} (from ${candidate.source}) skipped: ${error.message}`);
      continue;
    }
    if (policy.metadataUrl !== undefined) {
      // Pinned by a preset or static configuration: that URL instead of the well-known ones.
      urls.push({ url: policy.metadataUrl, kind: all[0]?.kind ?? 'oauth', candidate, policy });
      continue;
    }
    const allowed = policy.metadataUrlKinds;
    const originOnly = isOriginOnly(candidate.issuer);
    const kept = allowed === undefined ? all : all.filter((u) => kindAllowed(u.kind, allowed, originOnly));
    if (kept.length === 0) {
      skipped.push(
        `candidate ${candidate.issuer} (from ${candidate.source}) skipped: ${policy.sources.join(', ')} allows only ${(allowed ?? []).join(', ') || 'no'} metadata URLs`,
      );
      continue;
    }
    for (const url of kept) urls.push({ ...url, candidate, policy });
  }
  return { urls, skipped };
}

/**
 * Whether the MCP 2025-03-26 origin fallback applies: no protected resource metadata, no candidate,
 * and no `resource_metadata` announced by the challenge (a server that names its PRM is no
 * 2025-03-26 server: when that PRM cannot be used, discovery fails with why).
 */
export function needsLegacyOriginFallback(state: Readonly<DiscoveryState>): boolean {
  return (
    state.resourceMetadata === undefined && state.issuers.length === 0 && !announcesResourceMetadata(state)
  );
}

/**
 * The URLs `run` will probably fetch: every candidate's metadata URLs and, when
 * {@link needsLegacyOriginFallback} and the fallback is on, the legacy URL at the resource's origin —
 * unless the challenge announced protected resource metadata.
 */
export function authorizationServerPrefetch(
  state: Readonly<DiscoveryState>,
  search: AuthorizationServerSearch,
): string[] {
  const urls = candidateMetadataUrls(state, search).urls.map((u) => u.url);
  // With the PRM announced by the challenge, the legacy origin is an unlikely fallback: not fetched ahead.
  if (search.legacyOriginUrl !== undefined && needsLegacyOriginFallback(state)) {
    try {
      urls.push(search.legacyOriginUrl(new URL(state.resource).origin));
    } catch {
      // An invalid resource is reported by the runner, not guessed at here.
    }
  }
  return [...new Set(urls)];
}

/**
 * Who pinned `alias` for `candidate`: the candidate's own source and every matching policy that lists
 * it, with the dated fact a policy gives for it (`preset:slack (… observed 2026-03; …)`).
 */
function aliasPinnedBy(state: Readonly<DiscoveryState>, candidate: IssuerCandidate, alias: string): string[] {
  const sources: string[] = [];
  if ((candidate.acceptedIssuers ?? []).some((a) => issuersMatch(a, alias))) sources.push(candidate.source);
  for (const policy of state.issuerPolicies) {
    if (!issuerPolicyMatches(policy, candidate.issuer)) continue;
    const listed = (policy.acceptedIssuers ?? []).find((a) => issuersMatch(a, alias));
    if (listed === undefined) continue;
    const because = policy.acceptedIssuerNotes?.[listed];
    sources.push(because === undefined ? policy.source : `${policy.source} (${because})`);
  }
  const unique = [...new Set(sources)];
  // A source named alone is redundant next to the same source with its fact.
  return unique.filter((s) => !unique.some((other) => other !== s && other.startsWith(`${s} (`)));
}

async function legacyOrigin(
  ctx: StrategyContext,
  search: AuthorizationServerSearch,
  legacyUrl: (origin: string) => string,
): Promise<StrategyOutcome> {
  const origin = new URL(ctx.state.resource).origin;
  const url = legacyUrl(origin);
  const result = await tryInOrder<AuthorizationServerFound>(ctx, [
    {
      url,
      label: 'resource origin (MCP 2025-03-26)',
      fetch: () => fetchAuthorizationServerMetadata(ctx.http, url, { issuer: null, source: search.source }),
    },
  ]);
  if (result.status === 'not-found') {
    return {
      status: 'not-found',
      reason: `no issuer was known and no metadata at the resource origin (MCP 2025-03-26 fallback): ${result.reason}`,
      misses: result.misses,
    };
  }
  ctx.note(
    `no issuer was known; adopted ${result.value.issuer} from the metadata at the resource origin (MCP 2025-03-26 fallback)`,
  );
  return { status: 'found', contribution: { authorizationServer: result.value } };
}

/**
 * The `run` of a metadata strategy: tries each candidate's URLs (see {@link candidateMetadataUrls}) in
 * the order `chooseAuthorizationServer` documents (pins first; with `search.registration`, one this
 * client can register at) with a strict RFC 8414 §3.3 issuer check, where the only accepted aliases are those pinned by
 * the candidate or a matching policy (noted with who pinned them). A miss moves on to the next URL and
 * candidate; `ISSUER_MISMATCH` and other security errors are thrown. With no candidate and no
 * protected resource metadata, the legacy origin URL is tried and the document's issuer is adopted.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 * @see https://modelcontextprotocol.io/specification/2025-03-26/basic/authorization#2-3-2-authorization-server-metadata-discovery
 */
export async function findAuthorizationServer(
  ctx: StrategyContext,
  search: AuthorizationServerSearch,
): Promise<StrategyOutcome> {
  const { state } = ctx;
  if (state.issuers.length === 0) {
    if (state.resourceMetadata !== undefined) {
      return {
        status: 'not-found',
        reason: `no issuer candidate: the protected resource metadata at ${state.resourceMetadata.url} names no authorization_servers`,
      };
    }
    if (announcesResourceMetadata(state)) {
      return {
        status: 'not-found',
        reason: `no issuer candidate: the resource_metadata named by the challenge (${state.challenge?.resourceMetadata ?? 'unparsed'}) could not be used, and the MCP 2025-03-26 origin fallback is only for servers that name none`,
      };
    }
    if (search.legacyOriginUrl === undefined) {
      return { status: 'not-found', reason: 'no issuer candidate, and the legacy origin fallback is off' };
    }
    return legacyOrigin(ctx, search, search.legacyOriginUrl);
  }

  const plan = candidateMetadataUrls(state, search);
  for (const line of plan.skipped) ctx.note(line);
  const result = await chooseAuthorizationServer(ctx, plan.urls, search);
  if (result.status === 'not-found') {
    const reason = [...plan.skipped, ...(plan.urls.length === 0 ? [] : [result.reason])].join('; ');
    return { status: 'not-found', reason, misses: result.misses };
  }
  const { found, entry } = result.value;
  if (found.issuerCheck === 'alias') {
    const pinnedBy = aliasPinnedBy(state, entry.candidate, found.issuer);
    ctx.note(
      `issuer ${found.issuer} accepted as an alias of ${entry.candidate.issuer}, pinned by ${pinnedBy.join(', ') || 'configuration'}`,
    );
  }
  return { status: 'found', contribution: { authorizationServer: found } };
}
