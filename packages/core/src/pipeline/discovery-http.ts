import { DiscoveryError, ErrorCodes, isDiscoveryError } from '../errors.js';
import type { AddressRange } from '../http/address-policy.js';
import type { StepRecorder, TraceRecorder } from '../trace/recorder.js';
import type { HttpAttempt } from '../trace/types.js';
import type { HttpClient, HttpRequestInit, HttpResponse } from '../types.js';
import { raceAbort } from './discovery-signal.js';
import type { DiscoveryEventListener } from './events.js';
import { createRequestLimiter, type LimitedTask } from './request-limiter.js';

/** What the per-discovery HTTP wrapper needs from the runner. */
export interface DiscoveryHttpOptions {
  /** The pipeline's client (created by the pipeline or given by the caller). */
  readonly base: HttpClient;
  /** The discovery's combined signal (caller, deadline, single-flight abandonment). */
  readonly signal: AbortSignal;
  readonly recorder: TraceRecorder;
  readonly emit: DiscoveryEventListener;
  readonly resource: string;
  /** Ranges the SSRF guard allows for every request of this discovery (the resource is on one of them). */
  readonly allowAddressRanges?: readonly AddressRange[];
  /** Relaxations to note in the trace once a request has actually gone out under them. */
  readonly relaxations?: readonly string[];
  /** Monotonic clock in milliseconds. */
  readonly clock?: () => number;
  /**
   * At most this many requests in flight at once (default unlimited); requests a strategy waits for
   * go ahead of queued speculative ones, and a queued request that is never sent is not counted.
   */
  readonly maxInFlight?: number;
}

/** The client one strategy step uses: records into the step, shares the memo with speculation. */
export interface StepHttp extends HttpClient {
  /** The 2xx responses this step consumed, in order. */
  readonly documents: readonly HttpResponse[];
  /**
   * Records the requests this step is still waiting for as `aborted` — called when the discovery is
   * aborted while the strategy runs, so the trace shows what was in flight.
   */
  recordInFlight(): void;
}

/** The HTTP side of one discovery: a memo of GETs, speculation, counting and recording. */
export interface DiscoveryHttp {
  /** A client for one strategy step; every attempt it makes or consumes lands in `step`. */
  forStep(step: StepRecorder): StepHttp;
  /** Every 2xx response a step consumed, in order. */
  consumedDocuments(): readonly HttpResponse[];
  /** Starts a speculative GET (JSON expected) unless the same GET is already in the memo. */
  speculate(url: string | URL): void;
  /**
   * Ends the discovery's HTTP: aborts every request still in flight (speculative, or started by a
   * strategy that did not await it) and records every speculative request no step consumed in
   * `trace.unusedSpeculation`. Later calls do nothing.
   */
  finish(): void;
}

interface MemoEntry {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly speculative: boolean;
  readonly startedAt: number;
  /** {@link TraceRecorder.elapsed} when it was sent: the attempt's `startMs`. */
  readonly startMs: number;
  readonly promise: Promise<HttpResponse>;
  /** Its place in the in-flight limit. */
  readonly task: LimitedTask;
  /** Mutable progress: whether a step used it, and its attempt once settled. */
  readonly progress: { consumed: boolean; attempt: HttpAttempt | undefined };
}

function memoKey(url: string, init: HttpRequestInit): string {
  const headers = init.headers === undefined ? '' : JSON.stringify(Object.entries(init.headers).sort());
  return `GET ${init.expect ?? 'json'} ${url} ${headers}`;
}

function toDiscoveryError(error: unknown, url: string): DiscoveryError {
  if (isDiscoveryError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DiscoveryError(ErrorCodes.NETWORK_ERROR, `Request to ${url} failed: ${message}`, {
    url,
    cause: error,
  });
}

const endedReasons = new WeakSet<object>();

/** The abort reason of requests still in flight when their discovery ended. */
function noLongerNeeded(resource: string): DiscoveryError {
  const reason = new DiscoveryError(
    ErrorCodes.ABORTED,
    `Request no longer needed: discovery of ${resource} ended`,
    { url: resource },
  );
  endedReasons.add(reason);
  return reason;
}

/**
 * True for the abort reason of a request whose discovery simply ended (as opposed to a caller's
 * abort or a deadline): a request shared with other discoveries may still be worth finishing.
 */
export function isNoLongerNeeded(reason: unknown): boolean {
  return typeof reason === 'object' && reason !== null && endedReasons.has(reason);
}

function isAbortCode(error: DiscoveryError): boolean {
  return error.code === ErrorCodes.ABORTED || error.code === ErrorCodes.DEADLINE_EXCEEDED;
}

function requestAborted(signal: AbortSignal, url: string): DiscoveryError {
  if (isDiscoveryError(signal.reason)) return signal.reason;
  return new DiscoveryError(ErrorCodes.ABORTED, `Request to ${url} was aborted`, {
    url,
    cause: signal.reason,
  });
}

/**
 * Wraps the pipeline's client for one discovery. Every request carries the discovery's signal and
 * the address ranges the resource itself is on; GETs are memoised by method, URL, expected body and
 * headers, so a speculative request and a strategy's later request for the same URL share one
 * network request; every attempt is recorded in the step that consumed it (speculative ones marked);
 * network requests are counted and reported as events.
 */
export function createDiscoveryHttp(options: DiscoveryHttpOptions): DiscoveryHttp {
  const { base, recorder, emit, resource } = options;
  const clock = options.clock ?? (() => performance.now());
  const memo = new Map<string, MemoEntry>();
  const consumed: HttpResponse[] = [];
  // Aborted by finish(): whatever is still in flight then (speculation, or a request a strategy
  // started and never awaited) is no longer needed.
  const ended = new AbortController();
  const requestSignal = AbortSignal.any([options.signal, ended.signal]);
  let relaxationsNoted = false;
  let finished = false;
  const limiter = createRequestLimiter(options.maxInFlight ?? Number.POSITIVE_INFINITY);

  function fallbackAttempt(
    entry: Pick<MemoEntry, 'method' | 'url' | 'startedAt'>,
    error: DiscoveryError,
  ): HttpAttempt {
    return {
      method: entry.method,
      url: entry.url,
      durationMs: Math.max(0, Math.round(clock() - entry.startedAt)),
      outcome: isAbortCode(error) ? 'aborted' : 'error',
      error: { code: error.code, message: error.message },
    };
  }

  function send(url: string, init: HttpRequestInit, speculative: boolean, strategy?: string): MemoEntry {
    const method = init.method ?? 'GET';
    // A document the pipeline already had (or fetched for another discovery) is no request of this one.
    const takeBackIfCached = (attempt: HttpAttempt | undefined): void => {
      if (attempt?.cached === true) recorder.uncountRequest();
    };
    const forStrategy = strategy === undefined ? {} : { strategy };
    const { allowAddressRanges: _ignored, signal: _own, ...rest } = init;
    const request: HttpRequestInit = {
      ...rest,
      signal: requestSignal,
      ...(options.allowAddressRanges === undefined ? {} : { allowAddressRanges: options.allowAddressRanges }),
    };
    const progress: MemoEntry['progress'] = { consumed: false, attempt: undefined };
    let startedAt = clock();
    let startMs = Math.max(0, Math.round(recorder.elapsed()));
    const start = (): Promise<HttpResponse> => {
      startedAt = clock();
      startMs = Math.max(0, Math.round(recorder.elapsed()));
      recorder.countRequest();
      if (!relaxationsNoted) {
        relaxationsNoted = true;
        for (const relaxation of options.relaxations ?? []) recorder.addRelaxation(relaxation);
      }
      emit({ type: 'request-started', resource, method, url, speculative, ...forStrategy });
      return Promise.resolve().then(() => base.request(url, request));
    };
    const scheduled = limiter.schedule(!speculative, start, requestSignal, () =>
      requestAborted(requestSignal, url),
    );
    const promise = scheduled.promise.then(
      (response) => {
        takeBackIfCached(response.attempt);
        progress.attempt = response.attempt;
        if (!finished)
          emit({ type: 'request-finished', resource, attempt: response.attempt, ...forStrategy });
        return response;
      },
      (error: unknown) => {
        const failure = toDiscoveryError(error, url);
        // An abort reason is one error object shared by every request: only trust an attempt for this URL.
        const own = failure.attempt?.url === url ? failure.attempt : undefined;
        takeBackIfCached(own);
        progress.attempt = own ?? fallbackAttempt({ method, url, startedAt }, failure);
        if (!finished && scheduled.task.started) {
          emit({ type: 'request-finished', resource, attempt: progress.attempt, ...forStrategy });
        }
        throw failure;
      },
    );
    // Speculative results may never be consumed: their rejections must not go unhandled.
    promise.catch(() => undefined);
    return {
      method,
      url,
      speculative,
      get startedAt() {
        return startedAt;
      },
      get startMs() {
        return startMs;
      },
      promise,
      task: scheduled.task,
      progress,
    };
  }

  function forStep(step: StepRecorder): StepHttp {
    const documents: HttpResponse[] = [];
    // One token per request the strategy is waiting for (the same entry may be awaited twice).
    const inFlight = new Set<{ readonly entry: MemoEntry }>();
    const record = (token: { readonly entry: MemoEntry }, attempt: HttpAttempt): void => {
      if (!inFlight.delete(token)) return;
      const timed = { ...attempt, startMs: token.entry.startMs };
      step.addAttempt(token.entry.speculative ? { ...timed, speculative: true } : timed);
    };
    return {
      documents,
      recordInFlight() {
        for (const token of [...inFlight]) {
          const { entry } = token;
          const durationMs = Math.max(0, Math.round(clock() - entry.startedAt));
          record(
            token,
            entry.progress.attempt ?? {
              method: entry.method,
              url: entry.url,
              durationMs,
              outcome: 'aborted',
            },
          );
        }
      },
      async request(input, init = {}) {
        const raw = String(input);
        const url = URL.canParse(raw) ? new URL(raw).href : raw;
        let entry: MemoEntry;
        if ((init.method ?? 'GET') === 'GET') {
          const key = memoKey(url, init);
          const known = memo.get(key);
          entry = known ?? send(url, init, false, step.strategy);
          if (known === undefined) memo.set(key, entry);
          else if (!known.task.started) {
            // A queued speculative request is now awaited: it goes first.
            known.task.urgent = true;
            limiter.pump();
          }
        } else {
          entry = send(url, init, false, step.strategy);
        }
        entry.progress.consumed = true;
        const token = { entry };
        inFlight.add(token);
        try {
          const ownSignal = init.signal === options.signal ? undefined : init.signal;
          const response = await (ownSignal === undefined
            ? entry.promise
            : raceAbort(entry.promise, ownSignal, () => requestAborted(ownSignal, url)));
          record(token, response.attempt);
          if (response.status >= 200 && response.status < 300) {
            documents.push(response);
            consumed.push(response);
          }
          return response;
        } catch (error) {
          const failure = toDiscoveryError(error, url);
          record(token, entry.progress.attempt ?? fallbackAttempt(entry, failure));
          throw failure;
        }
      },
    };
  }

  return {
    forStep,
    consumedDocuments: () => consumed,
    speculate(input) {
      if (finished || options.signal.aborted) return;
      let url: string;
      try {
        url = new URL(input).href;
      } catch {
        return;
      }
      if (!url.startsWith('https:') && !url.startsWith('http:')) return;
      const key = memoKey(url, {});
      if (memo.has(key)) return;
      memo.set(key, send(url, { method: 'GET', expect: 'json' }, true));
    },
    finish() {
      if (finished) return;
      finished = true;
      for (const entry of memo.values()) {
        // A request still queued was never sent: nothing to report.
        if (!entry.speculative || entry.progress.consumed || !entry.task.started) continue;
        const attempt: HttpAttempt = entry.progress.attempt ?? {
          method: entry.method,
          url: entry.url,
          durationMs: Math.max(0, Math.round(clock() - entry.startedAt)),
          outcome: 'aborted',
        };
        recorder.addUnusedSpeculation({ ...attempt, startMs: entry.startMs, speculative: true });
      }
      ended.abort(noLongerNeeded(resource));
    },
  };
}
