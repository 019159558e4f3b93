import { abortReason } from '../abort.js';
import { type DiscoveryError, type ErrorCode, ErrorCodes, isDiscoveryError } from '../errors.js';
import type { TraceMiss } from '../trace/types.js';
import type { StrategyContext } from '../types.js';

/** One URL a strategy will try, and how to fetch and validate what it serves. */
export interface Try<T> {
  /** The URL `fetch` requests; shown in the trace and in the not-found reason. */
  readonly url: string;
  /** What this URL is, for people: `resource_metadata`, `path-aware`, `root`, `oauth`, `oidc-append`, … */
  readonly label: string;
  /** Requests `url` through `ctx.http` and validates the response; throws a `DiscoveryError` on a miss. */
  readonly fetch: () => Promise<T>;
}

/** A URL that was tried and did not serve a usable document (the trace's {@link TraceMiss}). */
export type Miss = TraceMiss;

/** What {@link tryInOrder} returns: the first success, or every miss. */
export type TryResult<T> =
  | {
      readonly status: 'found';
      readonly value: T;
      readonly url: string;
      readonly label: string;
      readonly misses: readonly Miss[];
    }
  | { readonly status: 'not-found'; readonly reason: string; readonly misses: readonly Miss[] };

/**
 * Codes that mean "nothing usable at this URL, try the next one". Everything else — security errors,
 * `ABORTED`, `DEADLINE_EXCEEDED`, `INVALID_CONFIG`, `DISCOVERY_FAILED` and errors that are not
 * `DiscoveryError`s — must stop the strategy.
 */
export const MISS_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCodes.RESOURCE_METADATA_NOT_FOUND,
  ErrorCodes.AUTHORIZATION_SERVER_METADATA_NOT_FOUND,
  ErrorCodes.INVALID_METADATA,
  ErrorCodes.INVALID_JSON,
  ErrorCodes.INVALID_URL,
  ErrorCodes.UNEXPECTED_CONTENT_TYPE,
  ErrorCodes.HTTP_ERROR,
  ErrorCodes.NETWORK_ERROR,
  ErrorCodes.TIMEOUT,
  ErrorCodes.TOO_MANY_REDIRECTS,
  ErrorCodes.RESPONSE_TOO_LARGE,
]);

/** True when `error` is a `DiscoveryError` whose code is in {@link MISS_ERROR_CODES}. */
export function isMissError(error: unknown): error is DiscoveryError {
  return isDiscoveryError(error) && MISS_ERROR_CODES.has(error.code);
}

function statusOf(error: DiscoveryError): number | undefined {
  if (typeof error.attempt?.status === 'number') return error.attempt.status;
  return typeof error.actual === 'number' ? error.actual : undefined;
}

/** True when the miss was only an unusable HTTP status: the attempt in the trace already says all. */
function isStatusMiss(miss: Miss): boolean {
  const notFound =
    miss.code === ErrorCodes.RESOURCE_METADATA_NOT_FOUND ||
    miss.code === ErrorCodes.AUTHORIZATION_SERVER_METADATA_NOT_FOUND ||
    miss.code === ErrorCodes.HTTP_ERROR;
  return notFound && miss.status !== undefined;
}

/** `GET <url> → 404`, or `GET <url> → INVALID_JSON` when there was no unusable status to show. */
export function describeMiss(miss: Miss): string {
  return `GET ${miss.url} → ${isStatusMiss(miss) ? String(miss.status) : miss.code}`;
}

function throwIfAborted(signal: AbortSignal, nextUrl: string): void {
  if (signal.aborted)
    throw abortReason(signal, 'Discovery', { url: nextUrl, detail: `before GET ${nextUrl}` });
}

/**
 * Runs `tries` one after the other and returns the first success. A miss (see {@link isMissError})
 * is noted with `ctx.note` (unless it was a bare HTTP status, which the attempt itself shows) and
 * the next URL is tried; any other error — above all a security error
 * such as `ISSUER_MISMATCH` or `RESOURCE_MISMATCH` — is rethrown at once, so no fallback can swallow
 * it. When every URL missed, the reason lists each one, in order:
 * `GET …/.well-known/oauth-protected-resource/v1/mcp → 401; GET …/.well-known/oauth-protected-resource → 404`.
 *
 * Stops with `ABORTED` (or the signal's own `DiscoveryError`, e.g. `DEADLINE_EXCEEDED`) when
 * `ctx.signal` fires between two tries.
 *
 * @throws {DiscoveryError} Anything that is not a miss.
 */
export async function tryInOrder<T>(
  ctx: Pick<StrategyContext, 'note' | 'signal'>,
  tries: readonly Try<T>[],
): Promise<TryResult<T>> {
  const misses: Miss[] = [];
  for (const attempt of tries) {
    throwIfAborted(ctx.signal, attempt.url);
    try {
      const value = await attempt.fetch();
      return { status: 'found', value, url: attempt.url, label: attempt.label, misses };
    } catch (error) {
      if (!isMissError(error)) throw error;
      const status = statusOf(error);
      const miss: Miss = {
        url: attempt.url,
        label: attempt.label,
        code: error.code,
        ...(status === undefined ? {} : { status }),
        message: error.message,
      };
      misses.push(miss);
      // A bare status is on the attempt's own trace line; anything else (a broken document, a
      // timeout) needs its explanation.
      if (!isStatusMiss(miss)) ctx.note(`${attempt.label}: ${describeMiss(miss)} (${error.message})`);
    }
  }
  const reason = misses.length === 0 ? 'no URL to try' : misses.map(describeMiss).join('; ');
  return { status: 'not-found', reason, misses };
}
