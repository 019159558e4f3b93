import { abortReason } from '../abort.js';
import type {
  Contribution,
  DiscoveryStrategy,
  IssuerCandidate,
  IssuerPolicy,
  ProviderHints,
  StrategyContext,
  StrategyOutcome,
} from '../types.js';
import { acceptedIssuerUrl, validatePresetDefinition } from './definition-schema.js';
import { citedFacts, describePolicyMatch, formatPresetFact } from './facts.js';
import { applyHostOverrides, resolveHostOverrides } from './hosts.js';
import { compilePresetResources, describeMatch } from './match.js';
import type {
  PresetAcceptedIssuer,
  PresetDefinition,
  PresetIssuerPolicy,
  PresetResource,
  PresetStrategyOptions,
} from './types.js';

/** A preset turned into a strategy; `definition` is the one in effect (hosts override applied). */
export interface PresetStrategy extends DiscoveryStrategy {
  readonly definition: PresetDefinition;
}

function withNotes(hints: ProviderHints | undefined, notes: readonly string[]): ProviderHints {
  return { ...hints, notes: [...(hints?.notes ?? []), ...notes] };
}

/** Accepted issuers as plain URLs, and the cited facts of the dated ones, by issuer. */
function flattenAccepted(
  definition: PresetDefinition,
  entries: readonly PresetAcceptedIssuer[] | undefined,
): { issuers: string[]; notes: Record<string, string> } {
  const notes: Record<string, string> = {};
  for (const entry of entries ?? []) {
    if (typeof entry === 'string') continue;
    notes[entry.issuer] = citedFacts(definition, entry.facts).map(formatPresetFact).join('; ');
  }
  return { issuers: (entries ?? []).map(acceptedIssuerUrl), notes };
}

function toIssuerPolicy(
  definition: PresetDefinition,
  policy: PresetIssuerPolicy,
  source: string,
): IssuerPolicy {
  const notes = citedFacts(definition, policy.facts).map((fact) => `${source}: ${formatPresetFact(fact)}`);
  const accepted = flattenAccepted(definition, policy.acceptedIssuers);
  return {
    match: policy.match,
    ...(policy.acceptedIssuers ? { acceptedIssuers: accepted.issuers } : {}),
    ...(Object.keys(accepted.notes).length > 0 ? { acceptedIssuerNotes: accepted.notes } : {}),
    ...(policy.metadataUrlKinds ? { metadataUrlKinds: policy.metadataUrlKinds } : {}),
    ...(policy.metadataUrl ? { metadataUrl: policy.metadataUrl } : {}),
    ...(policy.pin ? { pin: true } : {}),
    hints: withNotes(policy.hints, notes),
    source,
  };
}

/**
 * The entry's issuer candidates, and for each candidate with dated aliases an exact policy carrying
 * the facts, so the trace cites them when the alias is used.
 */
function entryCandidates(
  definition: PresetDefinition,
  entry: PresetResource,
  source: string,
): { issuers: IssuerCandidate[]; policies: IssuerPolicy[] } {
  const issuers: IssuerCandidate[] = [];
  const policies: IssuerPolicy[] = [];
  for (const candidate of entry.issuers ?? []) {
    const accepted = flattenAccepted(definition, candidate.acceptedIssuers);
    issuers.push({
      issuer: candidate.issuer,
      source,
      ...(candidate.acceptedIssuers ? { acceptedIssuers: accepted.issuers } : {}),
    });
    if (Object.keys(accepted.notes).length > 0) {
      policies.push({
        match: { exact: candidate.issuer },
        acceptedIssuers: accepted.issuers,
        acceptedIssuerNotes: accepted.notes,
        source,
      });
    }
  }
  return { issuers, policies };
}

function policyNote(policy: PresetIssuerPolicy): string {
  const parts = [`policy for ${describePolicyMatch(policy)}`];
  if (policy.acceptedIssuers) {
    parts.push(`accepts issuer ${policy.acceptedIssuers.map(acceptedIssuerUrl).join(' or ')} instead`);
  }
  if (policy.metadataUrl) parts.push(`fetches its metadata from ${policy.metadataUrl}`);
  if (policy.metadataUrlKinds) parts.push(`tries only ${policy.metadataUrlKinds.join(', ')} metadata URLs`);
  if (policy.pin) parts.push('preferred when the PRM lists several authorization servers');
  const hints = Object.entries(policy.hints ?? {})
    .filter(([key]) => key !== 'notes')
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  if (hints.length > 0) parts.push(`hints ${hints.join(', ')}`);
  return parts.join('; ');
}

/**
 * What a preset answers for every resource it does not know: the same for each discovery, so it is
 * worked out once (formatting the cited facts of every policy took about 0.1 ms per preset and
 * discovery — with the recommended presets, milliseconds before the first request went out).
 */
interface UnmatchedAnswers {
  /** The endpoints the preset knows, for the skip reason. */
  known?: string;
  /** The outcome when only resource-independent policies apply. */
  global?: StrategyOutcome;
}

function run(
  definition: PresetDefinition,
  source: string,
  ctx: StrategyContext,
  unmatched: UnmatchedAnswers,
  findResource: (resource: string) => PresetResource | undefined,
): StrategyOutcome {
  if (ctx.signal.aborted) {
    throw abortReason(ctx.signal, `Discovery of ${ctx.state.resource}`, { url: ctx.state.resource });
  }
  const resource = ctx.state.resource;
  const entry = findResource(resource);
  const globalPolicies = definition.issuerPolicies ?? [];
  if (entry === undefined && globalPolicies.length === 0) {
    unmatched.known ??= (definition.resources ?? []).flatMap((r) => r.match.map(describeMatch)).join(', ');
    return {
      status: 'skipped',
      reason: `resource ${resource} is none of the ${definition.title} endpoints this preset knows (${unmatched.known})`,
    };
  }
  if (entry === undefined && unmatched.global !== undefined) return unmatched.global;

  const notes: string[] = [];
  const candidatePolicies: IssuerPolicy[] = [];
  const contribution: { -readonly [K in keyof Contribution]: Contribution[K] } = {};
  if (entry !== undefined) {
    const facts = citedFacts(definition, entry.facts);
    notes.push(`resource ${resource} is a ${entry.label}`, ...facts.map(formatPresetFact));
    const { issuers, policies: aliasPolicies } = entryCandidates(definition, entry, source);
    candidatePolicies.push(...aliasPolicies);
    for (const candidate of issuers) {
      const aliases = (candidate.acceptedIssuers ?? []).filter((alias) => alias !== candidate.issuer);
      notes.push(
        aliases.length > 0
          ? `issuer candidate ${candidate.issuer}; its metadata may name only ${[candidate.issuer, ...aliases].join(' or ')}`
          : `issuer candidate ${candidate.issuer}`,
      );
    }
    if (issuers.length > 0) contribution.issuers = issuers;
    const exceptions = (entry.resourceIdentifierExceptions ?? []).map((exception) => {
      const because = citedFacts(definition, exception.facts).map(formatPresetFact).join('; ');
      notes.push(
        `the protected resource metadata may name ${exception.resource} as its resource: ${because}`,
      );
      return { resource: exception.resource, source, because };
    });
    contribution.hints = withNotes(
      exceptions.length > 0 ? { ...entry.hints, resourceIdentifierExceptions: exceptions } : entry.hints,
      facts.map((fact) => `${source}: ${formatPresetFact(fact)}`),
    );
  } else {
    const matches = globalPolicies.map(describePolicyMatch).join(', ');
    notes.push(`applies to ${definition.title} issuers (${matches}), whatever the resource`);
  }

  const policies = [...(entry?.issuerPolicies ?? []), ...globalPolicies];
  // For a resource the preset does not know, a policy may never apply: one note says what it is, but
  // only identical policies (one per region, say) are summarised; its facts travel in the policy's hints
  // and reach the result only if it applies, instead of filling every trace.
  const described = new Set<string>();
  for (const policy of policies) {
    const note = policyNote(policy);
    const shape = note.replace(/^policy for [^;]+/, '');
    if (entry === undefined && described.has(shape)) continue;
    described.add(shape);
    notes.push(note);
    if (entry !== undefined) notes.push(...citedFacts(definition, policy.facts).map(formatPresetFact));
  }
  if (policies.length > 0 || candidatePolicies.length > 0) {
    contribution.issuerPolicies = [
      ...candidatePolicies,
      ...policies.map((policy) => toIssuerPolicy(definition, policy, source)),
    ];
  }
  const outcome: StrategyOutcome = { status: 'found', contribution, notes };
  if (entry === undefined) unmatched.global = outcome;
  return outcome;
}

/**
 * Turns a preset definition into a strategy named `preset:<name>` that makes no request.
 *
 * When the resource matches one of the definition's resource entries (the first that matches wins), it
 * contributes that entry's issuer candidates (with their accepted issuers), its issuer policies and hints,
 * plus the definition's resource-independent policies; when only resource-independent policies exist it
 * contributes those for every resource; otherwise it is `skipped`. Every note cites the facts it rests on
 * with their date and source, and the same citations travel in the hints' `notes`.
 *
 * It declares no `contributes` keys, so the runner never skips it: its policies matter even when
 * issuers are already known.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` when the definition or the `hosts` override is invalid (at creation).
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function createPresetStrategy(
  definition: PresetDefinition,
  options: PresetStrategyOptions = {},
): PresetStrategy {
  validatePresetDefinition(definition);
  const effective = applyHostOverrides(definition, resolveHostOverrides(definition, options.hosts));
  const source = `preset:${definition.name}`;
  const unmatched: UnmatchedAnswers = {};
  const findResource = compilePresetResources(effective);
  return {
    name: source,
    definition: effective,
    async run(ctx) {
      return run(effective, source, ctx, unmatched, findResource);
    },
  } satisfies PresetStrategy;
}
