import { type DiscoveryError, ErrorCodes } from '../errors.js';
import type { DiscoveryTrace } from '../trace/types.js';
import type { DiscoveryResult, HttpResponse } from '../types.js';
import { cacheTtlFromHeaders, type TtlLimits } from './ttl.js';

/** The lifetimes the rules work with (the pipeline's `cacheTtl`, defaults filled in). */
export interface CacheLifetimes extends TtlLimits {
  /** Lifetime of a plain miss (`DISCOVERY_FAILED`) and of a 404/410 document; 0 keeps none. */
  readonly missMs: number;
}

const TRANSIENT_CODES: ReadonlySet<string> = new Set([ErrorCodes.TIMEOUT, ErrorCodes.NETWORK_ERROR]);
// 408 Request Timeout and 429 Too Many Requests pass like a 5xx does.
const PASSING_STATUSES: ReadonlySet<number> = new Set([408, 429]);

/** True when some request of the discovery failed in a way that may pass: a timeout, no connection, a 5xx, 408 or 429. */
export function hadTransientFault(trace: DiscoveryTrace): boolean {
  return trace.steps.some((step) =>
    step.attempts.some(
      (attempt) =>
        (attempt.error !== undefined && TRANSIENT_CODES.has(attempt.error.code)) ||
        (attempt.status !== undefined && (attempt.status >= 500 || PASSING_STATUSES.has(attempt.status))),
    ),
  );
}

/**
 * How long a result may be cached, in ms, or `null` for not at all: never a guess (asking again may
 * find the real metadata); else the smallest `max-age`/`s-maxage` of the 2xx responses its found steps
 * used (`no-store`/`no-cache` → `null`), else `defaultMs`, capped by `maxMs`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9111#section-4.2.1
 */
export function resultLifetime(
  result: DiscoveryResult,
  responses: readonly HttpResponse[],
  lifetimes: CacheLifetimes,
): number | null {
  if (result.guessed) return null;
  return cacheTtlFromHeaders(
    responses.map((response) => response.headers['cache-control']),
    lifetimes,
  );
}

/**
 * How long a failed discovery may be cached as a miss, or `null`: only a plain `DISCOVERY_FAILED`
 * (every server answered "not here") with its trace, for `missMs` — never a security error, an abort,
 * a deadline, a real cause (`NETWORK_ERROR`, `HTTP_ERROR`, `INVALID_METADATA`, …), nor a miss where a
 * request met a passing fault ({@link hadTransientFault}).
 */
export function missLifetime(error: DiscoveryError, lifetimes: CacheLifetimes): number | null {
  if (error.code !== ErrorCodes.DISCOVERY_FAILED || error.trace === undefined) return null;
  if (lifetimes.missMs <= 0 || hadTransientFault(error.trace)) return null;
  return lifetimes.missMs;
}

/**
 * How long the pipeline's shared documents keep one response, or `null`: a 2xx JSON document for its
 * `Cache-Control` lifetime (else `defaultMs`, capped by `maxMs`; `no-store`/`no-cache` → `null`), a
 * 404/410 for `missMs` (or less, by its `Cache-Control`), nothing else.
 */
export function documentLifetime(response: HttpResponse, lifetimes: CacheLifetimes): number | null {
  const cacheControl = [response.headers['cache-control']];
  if (response.status >= 200 && response.status < 300)
    return response.json === undefined ? null : cacheTtlFromHeaders(cacheControl, lifetimes);
  if (response.status !== 404 && response.status !== 410) return null;
  return cacheTtlFromHeaders(cacheControl, { defaultMs: lifetimes.missMs, maxMs: lifetimes.missMs });
}
