import { resourcesMatch } from '@oauth-discovery/core';
import type { StaticConfig, StaticConfigMatch, StaticResourceMatch } from './types.js';

function parse(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** The resource as patterns and prefixes see it: origin, path and query (no user info, no fragment). */
function comparable(url: URL): string {
  return `${url.origin}${url.pathname}${url.search}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compiles a glob: `**` → any run of characters, `*` → any run without `/`, the rest literal. The scheme
 * and host are lower-cased, as URL parsing does to the resource.
 */
export function globToRegExp(pattern: string): RegExp {
  const hostEnd = pattern.indexOf('/', pattern.indexOf('://') + 3);
  const normalized =
    hostEnd === -1 ? pattern.toLowerCase() : pattern.slice(0, hostEnd).toLowerCase() + pattern.slice(hostEnd);
  const source = normalized
    .split('**')
    .map((part) => part.split('*').map(escapeRegExp).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${source}$`);
}

/** Whether one entry's `resource` matcher applies to `resource` (see {@link StaticResourceMatch}). */
export function staticResourceMatches(match: StaticResourceMatch, resource: string): boolean {
  const target = parse(resource);
  if (target === null) return false;
  if (typeof match === 'string') return resourcesMatch(resource, match);
  if ('prefix' in match) {
    const prefix = parse(match.prefix);
    if (prefix === null || prefix.origin !== target.origin) return false;
    return `${target.pathname}${target.search}`.startsWith(`${prefix.pathname}${prefix.search}`);
  }
  return globToRegExp(match.pattern).test(comparable(target));
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
  if (typeof match === 'string') return match;
  return 'prefix' in match ? `prefix ${match.prefix}` : `pattern ${match.pattern}`;
}
