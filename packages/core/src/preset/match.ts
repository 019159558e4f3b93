import {
  compileResourceMatch,
  describeResourceMatch,
  type ResourceMatch,
  resourceMatches,
} from './resource-match.js';
import type { PresetDefinition, PresetResource } from './types.js';

/**
 * Whether one preset matcher applies to `resource`: the shared vocabulary of {@link ResourceMatch}
 * (the same as static configuration's).
 */
export function presetResourceMatches(match: ResourceMatch, resource: string | URL): boolean {
  return resourceMatches(match, resource);
}

/** The first resource entry of the definition that matches `resource`, or `undefined`. */
export function findPresetResource(
  definition: PresetDefinition,
  resource: string | URL,
): PresetResource | undefined {
  return compilePresetResources(definition)(resource);
}

/**
 * {@link findPresetResource} with the definition's matchers compiled once: a preset strategy asks it
 * about every resource its pipeline discovers.
 */
export function compilePresetResources(
  definition: PresetDefinition,
): (resource: string | URL) => PresetResource | undefined {
  const entries = (definition.resources ?? []).map((entry) => ({
    entry,
    matchers: entry.match.map(compileResourceMatch),
  }));
  return (resource) => {
    const target = URL.parse(String(resource));
    if (target === null) return undefined;
    target.hash = '';
    return entries.find(({ matchers }) => matchers.some((matches) => matches(target)))?.entry;
  };
}

/** A matcher as a person reads it: the URL, or the origin with its path prefix and `…`. */
export function describeMatch(match: ResourceMatch): string {
  return describeResourceMatch(match);
}
