import { fetchAuthorizationServerMetadata } from '../metadata/fetch.js';
import { issuersMatch } from '../metadata/resource.js';
import type { AuthorizationServerMetadata } from '../metadata/schemas.js';
import type { AuthorizationServerFound, ProviderHints, StrategyContext } from '../types.js';
import type { AuthorizationServerSearch, CandidateMetadataUrl } from './authorization-server.js';
import { type Miss, tryInOrder } from './try-in-order.js';

/**
 * How this client can get a client id, for choosing among several authorization servers. Unset: no
 * registration check, the first authorization server whose metadata validates is taken.
 */
export interface ClientRegistrationCapabilities {
  /** Issuers this client has a pre-registered client id for. */
  readonly preregisteredIssuers?: readonly string[];
  /** The client can use a Client ID Metadata Document (`client_id_metadata_document_supported`). */
  readonly cimd?: boolean;
  /** The client can register dynamically (RFC 7591) at a `registration_endpoint`. */
  readonly dcr?: boolean;
}

/** What {@link chooseAuthorizationServer} returns. */
export type AuthorizationServerChoice =
  | {
      readonly status: 'found';
      readonly value: { readonly found: AuthorizationServerFound; readonly entry: CandidateMetadataUrl };
    }
  | { readonly status: 'not-found'; readonly reason: string; readonly misses: readonly Miss[] };

/** Whether `source` is configuration a person wrote: a preset or static configuration. */
function isPinSource(source: string): boolean {
  return source.startsWith('preset:') || source === 'static-config';
}

function pinnedBy(entry: CandidateMetadataUrl): string | undefined {
  if (isPinSource(entry.candidate.source)) return entry.candidate.source;
  return entry.policy.pinned ? entry.policy.sources.join(', ') : undefined;
}

/**
 * How this client can register at the authorization server described by `metadata`, or `undefined`
 * when it cannot. Order: a pre-registered client (capabilities or a `clientId` hint), a CIMD client,
 * dynamic registration (unless a hint says a pre-registered client is required).
 */
export function registrationPath(
  issuer: string,
  metadata: AuthorizationServerMetadata,
  hints: ProviderHints,
  capabilities: ClientRegistrationCapabilities,
): string | undefined {
  if ((capabilities.preregisteredIssuers ?? []).some((i) => issuersMatch(i, issuer))) {
    return 'a pre-registered client for this issuer';
  }
  if (hints.clientId !== undefined) return 'the client id of a hint';
  const fields = metadata as Record<string, unknown>;
  if (capabilities.cimd === true && fields.client_id_metadata_document_supported === true) {
    return 'a client ID metadata document (CIMD)';
  }
  if (
    capabilities.dcr === true &&
    typeof fields.registration_endpoint === 'string' &&
    hints.requiresPreregisteredClient !== true
  ) {
    return 'dynamic client registration';
  }
  return undefined;
}

function whyNoPath(hints: ProviderHints, capabilities: ClientRegistrationCapabilities): string {
  const can = [
    capabilities.preregisteredIssuers?.length ? 'pre-registered clients for other issuers' : undefined,
    capabilities.cimd ? 'CIMD (not supported there)' : undefined,
    capabilities.dcr
      ? hints.requiresPreregisteredClient
        ? 'DCR (a hint says a pre-registered client is required)'
        : 'DCR (no registration_endpoint)'
      : undefined,
  ].filter((x) => x !== undefined);
  return `no registration path this client can use (it has ${can.join(', ') || 'no registration method'})`;
}

/** Groups the plan's URLs by candidate, keeping the order; pinned candidates first (stable). */
function candidateGroups(urls: readonly CandidateMetadataUrl[]): CandidateMetadataUrl[][] {
  const groups: CandidateMetadataUrl[][] = [];
  for (const entry of urls) {
    const group = groups.find((g) => g[0]?.candidate.issuer === entry.candidate.issuer);
    if (group === undefined) groups.push([entry]);
    else group.push(entry);
  }
  const pinned = groups.filter((g) => g[0] !== undefined && pinnedBy(g[0]) !== undefined);
  return [...pinned, ...groups.filter((g) => !pinned.includes(g))];
}

/**
 * Chooses among the issuer candidates by a documented rule, saying in the trace why each was taken or
 * passed over (only when there are several):
 *
 * 1. candidates pinned by a preset or static configuration (their own candidates, or an issuer policy
 *    with `pin`) first, then the others in the order the protected resource metadata lists them;
 * 2. the first whose metadata validates (strict RFC 8414 §3.3 issuer check; a security error stops
 *    everything) and — when `search.registration` is given — whose registration path this client can
 *    use: a pre-registered client for that issuer, CIMD when supported, DCR when available;
 * 3. when none has a usable registration path, the first whose metadata validates (the flow then says
 *    what is missing).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-2
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export async function chooseAuthorizationServer(
  ctx: StrategyContext,
  urls: readonly CandidateMetadataUrl[],
  search: AuthorizationServerSearch,
): Promise<AuthorizationServerChoice> {
  const groups = candidateGroups(urls);
  const several = groups.length > 1;
  const note = (message: string) => {
    if (several) ctx.note(`authorization server choice: ${message}`);
  };
  const capabilities = search.registration;
  const reasons: string[] = [];
  const misses: Miss[] = [];
  let fallback: { found: AuthorizationServerFound; entry: CandidateMetadataUrl } | undefined;
  for (const group of groups) {
    const first = group[0];
    if (first === undefined) continue;
    const issuer = first.candidate.issuer;
    const result = await tryInOrder(
      ctx,
      group.map((entry) => ({
        url: entry.url,
        label: `${entry.kind} for ${issuer}`,
        fetch: async () => ({
          entry,
          found: await fetchAuthorizationServerMetadata(ctx.http, entry.url, {
            issuer,
            acceptedIssuers: entry.policy.acceptedIssuers,
            source: search.source,
          }),
        }),
      })),
    );
    if (result.status === 'not-found') {
      reasons.push(result.reason);
      misses.push(...result.misses);
      note(`passed over ${issuer} (from ${first.candidate.source}): no valid metadata`);
      continue;
    }
    const pin = pinnedBy(first);
    const order = pin === undefined ? 'listed' : `pinned by ${pin}`;
    if (capabilities === undefined) {
      note(`took ${issuer} (${order}): the first whose metadata validates`);
      return { status: 'found', value: result.value };
    }
    const hints = { ...ctx.state.hints, ...first.policy.hints };
    const path = registrationPath(issuer, result.value.found.metadata, hints, capabilities);
    if (path !== undefined) {
      note(`took ${issuer} (${order}): its metadata validates and this client can use ${path}`);
      return { status: 'found', value: result.value };
    }
    note(`passed over ${issuer} (${order}): ${whyNoPath(hints, capabilities)}`);
    fallback ??= result.value;
  }
  if (fallback !== undefined) {
    note(
      `took ${fallback.entry.candidate.issuer}: no authorization server has a registration path this client can use; the first whose metadata validates`,
    );
    return { status: 'found', value: fallback };
  }
  return { status: 'not-found', reason: reasons.join('; ') || 'no URL to try', misses };
}
