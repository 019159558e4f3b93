import type { IssuerCandidate, IssuerPolicy, MetadataUrlKind, ProviderHints } from './types.js';

/** What the policies known so far say about one issuer candidate. */
export interface EffectiveIssuerPolicy {
  /** Issuers the metadata may name besides the candidate itself (candidate's own list first). */
  readonly acceptedIssuers: readonly string[];
  /** The URL forms to try; `undefined` means every form the strategy knows. */
  readonly metadataUrlKinds: readonly MetadataUrlKind[] | undefined;
  /** Hints of every matching policy; earlier policies win per key. */
  readonly hints: ProviderHints;
  /** The metadata URL pinned by the first matching policy that sets one (replaces the well-known URLs). */
  readonly metadataUrl: string | undefined;
  /** Whether a matching policy pins this issuer (preferred among several authorization servers). */
  readonly pinned: boolean;
  /** Sources of the policies that matched, for the trace. */
  readonly sources: readonly string[];
}

function originOf(url: string): string | undefined {
  return URL.parse(url)?.origin;
}

/**
 * True when `policy` applies to `issuer`: the exact issuer, or an issuer that starts with the prefix
 * on the prefix's own origin — so `https://auth.example.com` never matches
 * `https://auth.example.com.evil.test/` nor `https://auth.example.com@evil.test/`, whose metadata could
 * otherwise claim one of the policy's accepted issuers.
 */
export function issuerPolicyMatches(policy: IssuerPolicy, issuer: string): boolean {
  if ('exact' in policy.match) return policy.match.exact === issuer;
  const { prefix } = policy.match;
  if (!issuer.startsWith(prefix)) return false;
  const origin = originOf(prefix);
  return origin !== undefined && originOf(issuer) === origin;
}

/**
 * Combines the candidate's own accepted issuers with every matching policy. Presets and static
 * configuration use policies to pin issuer aliases (the explicit exception to RFC 8414 §3.3) and
 * to restrict which well-known URLs are tried.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function issuerPolicyFor(
  candidate: IssuerCandidate | string,
  policies: readonly IssuerPolicy[],
): EffectiveIssuerPolicy {
  const issuer = typeof candidate === 'string' ? candidate : candidate.issuer;
  const accepted = new Set(typeof candidate === 'string' ? [] : (candidate.acceptedIssuers ?? []));
  let kinds: readonly MetadataUrlKind[] | undefined;
  let metadataUrl: string | undefined;
  let pinned = false;
  let hints: ProviderHints = {};
  const sources: string[] = [];
  for (const policy of policies) {
    if (!issuerPolicyMatches(policy, issuer)) continue;
    sources.push(policy.source);
    for (const alias of policy.acceptedIssuers ?? []) accepted.add(alias);
    kinds ??= policy.metadataUrlKinds;
    metadataUrl ??= policy.metadataUrl;
    pinned ||= policy.pin === true;
    hints = { ...policy.hints, ...hints };
  }
  accepted.delete(issuer);
  return { acceptedIssuers: [...accepted], metadataUrlKinds: kinds, hints, metadataUrl, pinned, sources };
}
