import { describeResourceMatch, globToRegExp, resourceMatches } from '@oauth-discovery/core/preset';
import type { StaticConfig, StaticConfigMatch, StaticResourceMatch } from './types.js';

export { globToRegExp };

/**
 * Whether one entry's `resource` matcher applies to `resource` — the vocabulary shared with presets
 * (`ResourceMatch` in `@oauth-discovery/core`, see {@link StaticResourceMatch}).
 */
export function staticResourceMatches(match: StaticResourceMatch, resource: string): boolean {
  return resourceMatches(match, resource);
}

/**
 * The first entry of `config` whose `resource` matches, in the order listed — exact URLs, prefixes and
 * patterns alike, so list specific entries before broad ones. `undefined` when none matches. The
 * composing layer uses it to read an entry's `preset`.
 */
export function findStaticConfigEntry(config: StaticConfig, resource: string): StaticConfigMatch | undefined {
  const index = config.resources.findIndex((entry) => staticResourceMatches(entry.resource, resource));
  const entry = config.resources[index];
  return entry === undefined ? undefined : { entry, index };
}

/** A matcher as a person reads it. */
export function describeStaticMatch(match: StaticResourceMatch): string {
  return describeResourceMatch(match);
}
