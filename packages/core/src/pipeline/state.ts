import type {
  Contribution,
  ContributionKey,
  DiscoveryState,
  IssuerCandidate,
  ProviderHints,
} from '../types.js';

/** Who contributed each state key first (for "already known from …" reasons). */
export type Provenance = ReadonlyMap<ContributionKey, string>;

const KEY_LABELS: Record<ContributionKey, string> = {
  challenge: 'challenge',
  resourceMetadata: 'resource metadata',
  issuers: 'issuer candidates',
  authorizationServer: 'authorization server',
  hints: 'provider hints',
  issuerPolicies: 'issuer policies',
};

/**
 * Whether a state key counts as known: a value is set; `issuers` and `issuerPolicies` are
 * non-empty; `hints` has at least one key.
 */
export function isKnown(state: Readonly<DiscoveryState>, key: ContributionKey): boolean {
  switch (key) {
    case 'issuers':
      return state.issuers.length > 0;
    case 'issuerPolicies':
      return state.issuerPolicies.length > 0;
    case 'hints':
      return Object.keys(state.hints).length > 0;
    default:
      return state[key] !== undefined;
  }
}

/**
 * Why a strategy has nothing left to add, or `undefined` when it may still help. A strategy with
 * no `contributes` list is never skipped this way.
 */
export function alreadyKnownReason(
  state: Readonly<DiscoveryState>,
  contributes: readonly ContributionKey[] | undefined,
  provenance: Provenance,
): string | undefined {
  if (contributes === undefined || contributes.length === 0) return undefined;
  if (!contributes.every((key) => isKnown(state, key))) return undefined;
  return [...new Set(contributes)]
    .map((key) => {
      const source = provenance.get(key);
      return `${KEY_LABELS[key]} already known${source === undefined ? '' : ` from ${source}`}`;
    })
    .join(', ');
}

/** `earlier` wins per key; `notes` are concatenated without duplicates. */
export function mergeHints(earlier: ProviderHints, later: ProviderHints | undefined): ProviderHints {
  if (later === undefined) return earlier;
  const notes = [...(earlier.notes ?? []), ...(later.notes ?? [])];
  const merged: ProviderHints = { ...later, ...earlier };
  if (notes.length === 0) return merged;
  return { ...merged, notes: [...new Set(notes)] };
}

function mergeIssuers(
  known: readonly IssuerCandidate[],
  added: readonly IssuerCandidate[] | undefined,
): readonly IssuerCandidate[] {
  if (added === undefined || added.length === 0) return known;
  const result = [...known];
  for (const candidate of added) {
    const index = result.findIndex((c) => c.issuer === candidate.issuer);
    const existing = index === -1 ? undefined : result[index];
    if (existing === undefined) {
      result.push(candidate);
      continue;
    }
    const accepted = [...(existing.acceptedIssuers ?? []), ...(candidate.acceptedIssuers ?? [])];
    if (accepted.length > 0) result[index] = { ...existing, acceptedIssuers: [...new Set(accepted)] };
  }
  return result;
}

/** The state after `contribution` is merged, and the keys it filled for the first time. */
export interface MergeResult {
  readonly state: DiscoveryState;
  readonly filled: readonly ContributionKey[];
}

/**
 * Merges one strategy's contribution into the state. Earlier strategies are authoritative (presets
 * and static configuration run first): `issuers` are appended, deduplicated by `issuer` (the first
 * candidate is kept and the `acceptedIssuers` of later duplicates are added to it); `issuerPolicies`
 * are appended; `hints` keys fill only what is unset (`notes` are appended); `challenge`,
 * `resourceMetadata` and `authorizationServer` are set only when still unset.
 */
export function mergeContribution(state: DiscoveryState, contribution: Contribution): MergeResult {
  const before = state;
  const next: DiscoveryState = {
    ...state,
    issuers: mergeIssuers(state.issuers, contribution.issuers),
    issuerPolicies:
      contribution.issuerPolicies === undefined || contribution.issuerPolicies.length === 0
        ? state.issuerPolicies
        : [...state.issuerPolicies, ...contribution.issuerPolicies],
    hints: mergeHints(state.hints, contribution.hints),
    ...(state.challenge === undefined && contribution.challenge !== undefined
      ? { challenge: contribution.challenge }
      : {}),
    ...(state.resourceMetadata === undefined && contribution.resourceMetadata !== undefined
      ? { resourceMetadata: contribution.resourceMetadata }
      : {}),
    ...(state.authorizationServer === undefined && contribution.authorizationServer !== undefined
      ? { authorizationServer: contribution.authorizationServer }
      : {}),
  };
  const keys = Object.keys(KEY_LABELS) as ContributionKey[];
  const filled = keys.filter((key) => !isKnown(before, key) && isKnown(next, key));
  return { state: next, filled };
}

/** The state a discovery starts from. */
export function initialState(
  resource: string,
  challenge: string | undefined,
  challengeStatus: number | undefined,
): DiscoveryState {
  return {
    resource,
    wwwAuthenticate: challenge,
    wwwAuthenticateStatus: challengeStatus,
    issuers: [],
    issuerPolicies: [],
    hints: {},
  };
}
