/** The `Cache-Control` directives discovery caching looks at. */
export interface CacheDirectives {
  readonly noStore: boolean;
  readonly noCache: boolean;
  /** `max-age` in seconds. */
  readonly maxAge?: number | undefined;
  /** `s-maxage` in seconds. */
  readonly sMaxAge?: number | undefined;
}

const SECONDS = /^\d+$/;

function seconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const unquoted = value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  return SECONDS.test(unquoted) ? Number.parseInt(unquoted, 10) : undefined;
}

/**
 * Parses a `Cache-Control` response header: directive names are case-insensitive, `delta-seconds`
 * may be quoted; an invalid `max-age` is ignored (as if absent) rather than treated as 0.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9111#section-5.2
 */
export function parseCacheControl(header: string | undefined): CacheDirectives {
  let noStore = false;
  let noCache = false;
  let maxAge: number | undefined;
  let sMaxAge: number | undefined;
  for (const part of (header ?? '').split(',')) {
    const [rawName = '', ...rest] = part.split('=');
    const name = rawName.trim().toLowerCase();
    const value = rest.length > 0 ? rest.join('=').trim() : undefined;
    if (name === 'no-store') noStore = true;
    else if (name === 'no-cache') noCache = true;
    else if (name === 'max-age') maxAge ??= seconds(value);
    else if (name === 's-maxage') sMaxAge ??= seconds(value);
  }
  return { noStore, noCache, maxAge, sMaxAge };
}

/** Limits of {@link cacheTtlFromHeaders}. */
export interface TtlLimits {
  /** TTL when no response said `max-age`/`s-maxage`. */
  readonly defaultMs: number;
  /** Upper bound for any TTL. */
  readonly maxMs: number;
}

/**
 * How long a discovery result may be cached, from the `Cache-Control` headers of the responses it
 * was built from: `null` (do not cache) when any says `no-store` or `no-cache`; otherwise the
 * smallest `max-age`/`s-maxage` of all of them, or `defaultMs` when none has one; capped at `maxMs`.
 * A result that used no response at all (static configuration) gets `defaultMs`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9111#section-4.2.1
 */
export function cacheTtlFromHeaders(
  headers: readonly (string | undefined)[],
  limits: TtlLimits,
): number | null {
  let smallest: number | undefined;
  for (const header of headers) {
    const directives = parseCacheControl(header);
    if (directives.noStore || directives.noCache) return null;
    for (const age of [directives.maxAge, directives.sMaxAge]) {
      if (age !== undefined) smallest = Math.min(smallest ?? age, age);
    }
  }
  const ttl = Math.min(smallest === undefined ? limits.defaultMs : smallest * 1000, limits.maxMs);
  return ttl > 0 ? ttl : null;
}
