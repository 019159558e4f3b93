import { describeMatch } from './match.js';
import type { PresetDefinition, PresetFact, PresetFactListing, PresetIssuerPolicy } from './types.js';

/**
 * A fact as one line of a trace or a hint note: `<statement> (observed <date>; <source>)`, with
 * `; thin evidence` when the fact says so.
 */
export function formatPresetFact(fact: PresetFact): string {
  const thin = fact.evidence === 'thin' ? '; thin evidence' : '';
  return `${fact.statement} (observed ${fact.observed}; ${fact.source}${thin})`;
}

/** The facts with these ids, in the order given; unknown ids are skipped (definitions are validated first). */
export function citedFacts(definition: PresetDefinition, ids: readonly string[]): PresetFact[] {
  const facts: PresetFact[] = [];
  for (const id of ids) {
    const fact = definition.facts.find((f) => f.id === id);
    if (fact !== undefined) facts.push(fact);
  }
  return facts;
}

/** A policy's match as a person reads it: `issuer https://x` or `issuers https://x/…`. */
export function describePolicyMatch(policy: PresetIssuerPolicy): string {
  return 'exact' in policy.match ? `issuer ${policy.match.exact}` : `issuers ${policy.match.prefix}…`;
}

/**
 * Every fact of a preset with the entries that cite it, in the definition's order — what the CLI's
 * `presets` command prints, so users can see how old each piece of provider knowledge is.
 */
export function listPresetFacts(definition: PresetDefinition): PresetFactListing[] {
  const usedBy = new Map<string, string[]>();
  const cite = (ids: readonly string[], label: string) => {
    for (const id of ids) {
      const list = usedBy.get(id) ?? [];
      if (!list.includes(label)) list.push(label);
      usedBy.set(id, list);
    }
  };
  for (const resource of definition.resources ?? []) {
    cite(resource.facts, `${resource.label} (${resource.match.map(describeMatch).join(', ')})`);
    for (const policy of resource.issuerPolicies ?? []) cite(policy.facts, describePolicyMatch(policy));
  }
  for (const policy of definition.issuerPolicies ?? []) cite(policy.facts, describePolicyMatch(policy));
  return definition.facts.map((fact) => ({
    ...fact,
    preset: definition.name,
    usedBy: usedBy.get(fact.id) ?? [],
  }));
}
