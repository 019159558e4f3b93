import type { ErrorCode } from '../errors.js';

/** One HTTP request as the trace records it. */
export interface HttpAttempt {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** Status of the final response; absent when no response came (timeout, blocked, refused). */
  readonly status?: number | undefined;
  readonly durationMs: number;
  /** When the request was sent (or the document served), in ms from the start of the discovery. */
  readonly startMs?: number;
  /**
   * `ok`: a 2xx with an acceptable body; `http-error`: any other status; `error`: no usable
   * response (the `error` field says why); `aborted`: this discovery stopped waiting for it (a
   * speculation leftover once the answer was known, a caller abort, the deadline). With the pipeline's
   * shared documents on, a leftover that may serve the next discovery still runs to its end.
   */
  readonly outcome: 'ok' | 'http-error' | 'error' | 'aborted';
  readonly error?: { readonly code: ErrorCode; readonly message: string } | undefined;
  /** Redirect targets that were followed, in order. */
  readonly redirects?: readonly string[];
  /** The request was started early by the runner's speculation. */
  readonly speculative?: boolean;
  /**
   * No request was sent for this discovery: the pipeline served the document it already had (within
   * its `Cache-Control` lifetime) or joined another discovery's request for it still in flight.
   */
  readonly cached?: boolean;
}

/**
 * A URL a strategy tried that served nothing usable, with why (`tryInOrder` records them). The
 * pipeline reads them to decide whether "nothing found" was a real "not here" or a failure.
 */
export interface TraceMiss {
  readonly url: string;
  /** What the URL was: `resource_metadata`, `path-aware`, `root`, `oauth for <issuer>`, `probe`, … */
  readonly label: string;
  readonly code: ErrorCode;
  /** HTTP status when the miss was a response (absent for timeouts, refused connections, …). */
  readonly status?: number | undefined;
  readonly message: string;
}

/** One strategy's step in a discovery. */
export interface TraceStep {
  readonly strategy: string;
  readonly outcome: 'found' | 'not-found' | 'skipped' | 'failed';
  /** Why it did not find anything, why it was skipped, or what failed. */
  readonly reason?: string | undefined;
  /** Decisions worth showing a person, e.g. "issuer https://cf.example adopted (legacy origin fallback)". */
  readonly notes: readonly string[];
  readonly attempts: readonly HttpAttempt[];
  readonly durationMs: number;
  /** When the step started, in ms from the start of the discovery. */
  readonly startMs?: number;
  /** Error code when `outcome` is `failed`. */
  readonly errorCode?: ErrorCode | undefined;
  /** For a `not-found` step: every URL that served nothing usable, and why, in order. */
  readonly misses?: readonly TraceMiss[];
}

/** Everything one discovery did, returned with the result and attached to errors. */
export interface DiscoveryTrace {
  readonly resource: string;
  readonly steps: readonly TraceStep[];
  /** Speculative requests no strategy consumed (aborted once the answer was known, or finished unused). */
  readonly unusedSpeculation: readonly HttpAttempt[];
  /** Requests actually sent on the network during this discovery (speculative ones included). */
  readonly requestCount: number;
  readonly durationMs: number;
  /** ISO time the discovery started. */
  readonly startedAt: string;
  /** Security-weakening options that were in effect and used (e.g. `allowPrivateNetwork`). */
  readonly relaxations: readonly string[];
}
