import { describeResourceMatch, type ResourceMatch, resourceMatches } from './resource-match.js';
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
  // Parsed once here rather than once per matcher: every preset of a pipeline runs this per discovery.
  const target = typeof resource === 'string' && URL.canParse(resource) ? new URL(resource) : resource;
  return definition.resources?.find((entry) => entry.match.some((m) => resourceMatches(m, target)));
}

/** A matcher as a person reads it: the URL, or the origin with its path prefix and `…`. */
export function describeMatch(match: ResourceMatch): string {
  return describeResourceMatch(match);
}
