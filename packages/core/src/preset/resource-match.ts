import { z } from 'zod';
import { sameResource } from '../metadata/resource.js';
import { httpUrlSchema, originUrlSchema } from './url-schemas.js';

/**
 * Which protected resources a preset entry or a static configuration entry applies to — one vocabulary
 * for both:
 *
 * - a string, or `{ url }`: exactly this resource, compared like the RFC 9728 §3.3 resource check
 *   (scheme and host case, default port and **one trailing `/`** are not significant; path case and
 *   query are);
 * - `{ origin, pathPrefix? }`: every resource on this origin, or only those whose path is `pathPrefix`
 *   or lies below it at a `/` boundary (`/v2` matches `/v2` and `/v2/mcp`, not `/v20`);
 * - `{ prefix }`: every resource on the prefix's origin whose path and query start with the prefix's
 *   (a plain string prefix: `https://x/api` also matches `https://x/api-v2`; end it with `/` to stay below
 *   a folder);
 * - `{ pattern }`: a glob over origin, path and query: `*` is any run without `/`, `**` any run; the rest
 *   is literal (`https://*.example.com/mcp` matches `https://eu.example.com/mcp`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.3
 */
export type ResourceMatch =
  | string
  | { readonly url: string }
  | { readonly origin: string; readonly pathPrefix?: string }
  | { readonly prefix: string }
  | { readonly pattern: string };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compiles a resource glob: `**` → any run of characters, `*` → any run without `/`, the rest literal.
 * The scheme and host are lower-cased, as URL parsing does to the resource.
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

/** A {@link ResourceMatch} compiled once: asked about a resource already parsed as a URL. */
export type CompiledResourceMatch = (target: URL) => boolean;

/**
 * Compiles one matcher: its URLs, origin and glob are parsed once, so asking it about a resource costs
 * no parsing of the matcher (every preset of a pipeline asks about every resource it discovers). The
 * resource is compared as {@link resourceMatches} says; a matcher that is not a URL matches nothing.
 */
export function compileResourceMatch(match: ResourceMatch): CompiledResourceMatch {
  if (typeof match === 'string' || 'url' in match) {
    const advertised = URL.parse(typeof match === 'string' ? match : match.url);
    if (advertised === null) return () => false;
    advertised.hash = '';
    return (target) => sameResource(target, advertised);
  }
  if ('origin' in match) {
    const origin = URL.parse(match.origin)?.origin;
    const prefix = match.pathPrefix;
    if (prefix === undefined) return (target) => target.origin === origin;
    const boundary = prefix.endsWith('/') ? prefix : `${prefix}/`;
    return (target) =>
      target.origin === origin && (target.pathname === prefix || target.pathname.startsWith(boundary));
  }
  if ('prefix' in match) {
    const prefix = URL.parse(match.prefix);
    if (prefix === null) return () => false;
    const start = `${prefix.pathname}${prefix.search}`;
    return (target) =>
      prefix.origin === target.origin && `${target.pathname}${target.search}`.startsWith(start);
  }
  const glob = globToRegExp(match.pattern);
  return (target) => glob.test(`${target.origin}${target.pathname}${target.search}`);
}

/** Whether one matcher applies to `resource` (see {@link ResourceMatch}). `false` for a non-URL. */
export function resourceMatches(match: ResourceMatch, resource: string | URL): boolean {
  const target = URL.parse(String(resource));
  if (target === null) return false;
  target.hash = '';
  return compileResourceMatch(match)(target);
}

/** A matcher as a person reads it: the URL, `origin/path…`, `prefix …` or `pattern …`. */
export function describeResourceMatch(match: ResourceMatch): string {
  if (typeof match === 'string') return match;
  if ('url' in match) return match.url;
  if ('origin' in match) {
    const origin = match.origin.replace(/\/$/, '');
    return match.pathPrefix === undefined ? `${origin}/…` : `${origin}${match.pathPrefix}…`;
  }
  return 'prefix' in match ? `prefix ${match.prefix}` : `pattern ${match.pattern}`;
}

const pattern = z
  .string()
  .regex(/^https?:\/\/[^/]+/, {
    error: 'expected a URL pattern starting with https:// or http:// and a host',
  })
  .refine((v) => !/^https?:\/\/[^/]*\*\*/.test(v), { error: '** is not allowed in the host part' });

/**
 * The schema of a {@link ResourceMatch}, shared by preset definitions and static configuration so a
 * typo is the same `INVALID_CONFIG` message in both.
 */
export const resourceMatchSchema = z.union(
  [
    httpUrlSchema,
    z.strictObject({ url: httpUrlSchema }),
    z.strictObject({
      origin: originUrlSchema,
      pathPrefix: z.string().startsWith('/', { error: 'expected a path starting with /' }).optional(),
    }),
    z.strictObject({ prefix: httpUrlSchema }),
    z.strictObject({ pattern }),
  ],
  { error: 'expected a resource URL string, { url }, { origin, pathPrefix? }, { prefix } or { pattern }' },
);
