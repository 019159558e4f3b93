import { DiscoveryError, type ErrorCode, ErrorCodes } from '../errors.js';
import { summarizeTraceLines } from '../trace/format.js';
import type { DiscoveryTrace, TraceMiss } from '../trace/types.js';
import type { DiscoveryState } from '../types.js';

/**
 * Statuses that mean "nothing here" for a metadata URL: 404 and 410, and a 401/403 challenge
 * (the URL sits behind authentication, so no public document lives there). Every other answer —
 * a 5xx, 408, 429, any other status, a timeout, a refused connection, HTML or broken JSON, a
 * document that fails its schema — is a failure to find out, not an answer.
 */
export const DEFINITIVE_MISS_STATUSES: ReadonlySet<number> = new Set([401, 403, 404, 410]);

const NOT_FOUND_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCodes.RESOURCE_METADATA_NOT_FOUND,
  ErrorCodes.AUTHORIZATION_SERVER_METADATA_NOT_FOUND,
  ErrorCodes.HTTP_ERROR,
]);

/** What made a discovery unable to tell "not here" from "could not find out". */
export interface RealCause {
  readonly code: ErrorCode;
  readonly message: string;
  readonly url?: string;
  /** The strategy whose step recorded it. */
  readonly strategy: string;
}

/** True when `miss` is a definitive "not here": a status in {@link DEFINITIVE_MISS_STATUSES}. */
export function isDefinitiveMiss(miss: TraceMiss): boolean {
  return (
    NOT_FOUND_CODES.has(miss.code) && miss.status !== undefined && DEFINITIVE_MISS_STATUSES.has(miss.status)
  );
}

function causeOfMiss(miss: TraceMiss, strategy: string): RealCause {
  // An unusable status is an HTTP error whatever the strategy called it.
  if (
    NOT_FOUND_CODES.has(miss.code) &&
    miss.status !== undefined &&
    !DEFINITIVE_MISS_STATUSES.has(miss.status)
  ) {
    return {
      code: ErrorCodes.HTTP_ERROR,
      message: `GET ${miss.url} answered HTTP ${miss.status} (${miss.label})`,
      url: miss.url,
      strategy,
    };
  }
  return { code: miss.code, message: miss.message, url: miss.url, strategy };
}

/**
 * The first thing in the trace that was a failure rather than a "not here": a failed step, a miss
 * that is not definitive ({@link isDefinitiveMiss}), or — when the challenge named a
 * `resource_metadata` URL and no protected resource metadata was found — that URL's miss, whatever it
 * was. `undefined` when every miss was definitive.
 */
export function realCause(trace: DiscoveryTrace, state: DiscoveryState): RealCause | undefined {
  const announced = state.resourceMetadata === undefined ? state.challenge?.resourceMetadata : undefined;
  for (const step of trace.steps) {
    if (step.outcome === 'failed' && step.errorCode !== undefined) {
      return { code: step.errorCode, message: step.reason ?? step.errorCode, strategy: step.strategy };
    }
    for (const miss of step.misses ?? []) {
      if (announced !== undefined && miss.url === announced) {
        return {
          ...causeOfMiss(miss, step.strategy),
          message: `the resource_metadata URL named by the challenge could not be used: ${miss.message}`,
        };
      }
      if (!isDefinitiveMiss(miss)) return causeOfMiss(miss, step.strategy);
    }
  }
  return undefined;
}

/** True when some request of the discovery got an HTTP answer from the resource's origin. */
export function originAnswered(trace: DiscoveryTrace): boolean {
  const origin = new URL(trace.resource).origin;
  return trace.steps.some((step) =>
    step.attempts.some((attempt) => attempt.status !== undefined && new URL(attempt.url).origin === origin),
  );
}

/**
 * The error of a discovery that found nothing (or only a guess it may not use) because of
 * `cause`: its code is the cause's, its message leads with it and then lists every path tried.
 */
export function realCauseError(resource: string, trace: DiscoveryTrace, cause: RealCause): DiscoveryError {
  const lines = summarizeTraceLines(trace);
  return new DiscoveryError(
    cause.code,
    `${cause.message} (${cause.strategy}). No authorization server found for ${resource}. Tried:\n  ${lines.join('\n  ')}`,
    {
      url: cause.url ?? resource,
      expected: 'authorization server metadata, or a definitive "not here" (404/410/401/403) everywhere',
      trace,
    },
  );
}

/**
 * Why endpoints may not be guessed for this discovery (MCP 2025-03-26 defaults), or `undefined`
 * when they may: the resource's origin answered HTTP and every miss was definitive.
 */
export function guessBlocker(trace: DiscoveryTrace, state: DiscoveryState): RealCause | undefined {
  const cause = realCause(trace, state);
  if (cause !== undefined) return cause;
  if (originAnswered(trace)) return undefined;
  return {
    code: ErrorCodes.DISCOVERY_FAILED,
    message: `nothing in this discovery got an HTTP answer from ${new URL(state.resource).origin}`,
    strategy: 'pipeline',
  };
}
