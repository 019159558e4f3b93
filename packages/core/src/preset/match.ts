import type { PresetDefinition, PresetResource, PresetResourceMatch } from './types.js';

function parse(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/**
 * Whether one matcher applies to `resource`. `{ url }` compares origin (scheme, host, port after URL
 * normalisation), path and query exactly; `{ origin, pathPrefix }` compares the origin and, with a
 * prefix, requires the path to equal it or continue it at a `/` boundary.
 */
export function presetResourceMatches(match: PresetResourceMatch, resource: string | URL): boolean {
  const target = typeof resource === 'string' ? parse(resource) : resource;
  if (target === null) return false;
  if ('url' in match) {
    const expected = parse(match.url);
    return (
      expected !== null &&
      expected.origin === target.origin &&
      expected.pathname === target.pathname &&
      expected.search === target.search
    );
  }
  if (parse(match.origin)?.origin !== target.origin) return false;
  const prefix = match.pathPrefix;
  if (prefix === undefined) return true;
  const boundary = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return target.pathname === prefix || target.pathname.startsWith(boundary);
}

/** The first resource entry of the definition that matches `resource`, or `undefined`. */
export function findPresetResource(
  definition: PresetDefinition,
  resource: string | URL,
): PresetResource | undefined {
  return definition.resources?.find((entry) => entry.match.some((m) => presetResourceMatches(m, resource)));
}

/** A matcher as a person reads it: the URL, or the origin with its path prefix and `…`. */
export function describeMatch(match: PresetResourceMatch): string {
  if ('url' in match) return match.url;
  return match.pathPrefix === undefined ? `${match.origin}/…` : `${match.origin}${match.pathPrefix}…`;
}
