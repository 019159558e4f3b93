import { abortedError, abortReason, isAbortError } from '../abort.js';
import { requestKey } from '../cache/key.js';
import { DiscoveryError, ErrorCodes, isDiscoveryError } from '../errors.js';
import type { AddressRange } from '../http/address-policy.js';
import type { StepRecorder, TraceRecorder } from '../trace/recorder.js';
import type { HttpAttempt } from '../trace/types.js';
import type { HttpClient, HttpRequestInit, HttpResponse } from '../types.js';
import { raceAbort } from './discovery-signal.js';
import type { DocumentStore } from './document-store.js';
import type { DiscoveryEventListener } from './events.js';
import { createRequestLimiter, type LimitedTask } from './request-limiter.js';

/** What one discovery brings to its view of the store. */
export interface ViewOptions {
  /** The normalised resource. */
  readonly resource: string;
  /** The discovery's combined signal (caller, deadline, single-flight abandonment). */
  readonly signal: AbortSignal;
  /** The discovery's own trace: no other discovery's attempt ever lands in it. */
  readonly recorder: TraceRecorder;
  readonly emit: DiscoveryEventListener;
  /** Ranges the SSRF guard allows for every request of this discovery (the resource is on one of them). */
  readonly allowAddressRanges?: readonly AddressRange[] | undefined;
  /** Relaxations to note in the trace once a request has actually gone out under them. */
  readonly relaxations?: readonly string[] | undefined;
  /**
   * The request budget: at most this many requests in flight at once (default unlimited); requests
   * a strategy waits for go ahead of queued speculative ones, and a queued request that is never sent
   * is not counted.
   */
  readonly maxInFlight?: number | undefined;
  /** Fetch every document anew (`noCache`); what comes back is kept for later discoveries. */
  readonly refresh?: boolean | undefined;
  /** Monotonic clock in milliseconds. */
  readonly clock?: (() => number) | undefined;
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

/** What one discovery sees of the store: its memo of GETs, its signal, its request budget, its trace. */
export interface DocumentView {
  /** A client for one strategy step; every attempt it makes or consumes lands in `step`. */
  forStep(step: StepRecorder): StepHttp;
  /** Starts a speculative GET (JSON expected) unless the same GET is already in the memo. */
  speculate(url: string | URL): void;
  /**
   * Ends the discovery's view: leaves every request still in flight (a speculative one, or one a
   * strategy started and never awaited: a request shared with nobody is aborted after a short grace,
   * one another discovery may use runs on), records every speculative request no step consumed in
   * `trace.unusedSpeculation`, and makes the store forget the documents this discovery consumed but
   * did not rest its result on (`accepted`: the URLs it did). Later calls do nothing.
   */
  finish(accepted: ReadonlySet<string | null | undefined>): void;
}

interface MemoEntry {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly key: string;
  readonly speculative: boolean;
  readonly startedAt: number;
  /** {@link TraceRecorder.elapsed} when it was sent: the attempt's `startMs`. */
  readonly startMs: number;
  readonly promise: Promise<HttpResponse>;
  /** Its place in the request budget. */
  readonly task: LimitedTask;
  /** Mutable progress: whether a step used it, and its attempt once settled. */
  readonly progress: { consumed: boolean; attempt: HttpAttempt | undefined };
}

function toDiscoveryError(error: unknown, url: string): DiscoveryError {
  if (isDiscoveryError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DiscoveryError(ErrorCodes.NETWORK_ERROR, `Request to ${url} failed: ${message}`, {
    url,
    cause: error,
  });
}

/**
 * Creates one discovery's view of `store`. Every request carries the discovery's signal and the
 * address ranges the resource itself is on; GETs are memoised by {@link requestKey}, so a
 * speculative request and a strategy's later request for the same URL share one network request;
 * every attempt is recorded in the step that consumed it (speculative ones marked); requests sent
 * are counted (a document the store already had is not) and reported as events.
 */
export function createDocumentView(store: DocumentStore, options: ViewOptions): DocumentView {
  const { recorder, emit, resource, signal } = options;
  const clock = options.clock ?? (() => performance.now());
  const memo = new Map<string, MemoEntry>();
  // Every 2xx response a step consumed, with the key the store knows it by.
  const consumed: { readonly key: string; readonly response: HttpResponse }[] = [];
  // Aborted by finish(): whatever is still in flight then is no longer needed by this discovery.
  const ended = new AbortController();
  const requestSignal = AbortSignal.any([signal, ended.signal]);
  let relaxationsNoted = false;
  let finished = false;
  // Requests sent or queued and not settled yet: only those need the abort at finish().
  let unsettled = 0;
  const limiter = createRequestLimiter(options.maxInFlight ?? Number.POSITIVE_INFINITY);

  function fallbackAttempt(
    entry: Pick<MemoEntry, 'method' | 'url' | 'startedAt'>,
    error: DiscoveryError,
  ): HttpAttempt {
    return {
      method: entry.method,
      url: entry.url,
      durationMs: Math.max(0, Math.round(clock() - entry.startedAt)),
      outcome: isAbortError(error) ? 'aborted' : 'error',
      error: { code: error.code, message: error.message },
    };
  }

  function send(url: string, init: HttpRequestInit, speculative: boolean, strategy?: string): MemoEntry {
    const method = init.method ?? 'GET';
    // A document the store already had (or fetched for another discovery) is no request of this one.
    const takeBackIfCached = (attempt: HttpAttempt | undefined): void => {
      if (attempt?.cached === true) recorder.uncountRequest();
    };
    const request = requestOf(init);
    const progress: MemoEntry['progress'] = { consumed: false, attempt: undefined };
    let startedAt = clock();
    let startMs = Math.max(0, Math.round(recorder.elapsed()));
    const start = (): Promise<HttpResponse> => {
      // Still queued when the discovery ended (the abort that drops the queue comes a turn later).
      if (finished) {
        return Promise.reject(
          abortedError(`Request to ${url}`, {
            url,
            detail: 'because the discovery ended and no longer needs it',
          }),
        );
      }
      startedAt = clock();
      startMs = Math.max(0, Math.round(recorder.elapsed()));
      recorder.countRequest();
      if (!relaxationsNoted) {
        relaxationsNoted = true;
        for (const relaxation of options.relaxations ?? []) recorder.addRelaxation(relaxation);
      }
      emit({ type: 'request-started', resource, method, url, speculative, strategy });
      return Promise.resolve().then(() =>
        store.fetch(url, request, { signal, ended: ended.signal, refresh: options.refresh }),
      );
    };
    const scheduled = limiter.schedule(!speculative, start, requestSignal, () =>
      abortReason(requestSignal, `Request to ${url}`, { url }),
    );
    unsettled += 1;
    const promise = scheduled.promise.then(
      (response) => {
        unsettled -= 1;
        takeBackIfCached(response.attempt);
        progress.attempt = response.attempt;
        if (!finished) emit({ type: 'request-finished', resource, attempt: response.attempt, strategy });
        return response;
      },
      (error: unknown) => {
        unsettled -= 1;
        const failure = toDiscoveryError(error, url);
        // An abort reason is one error object shared by every request: only trust an attempt for this URL.
        const own = failure.attempt?.url === url ? failure.attempt : undefined;
        takeBackIfCached(own);
        progress.attempt = own ?? fallbackAttempt({ method, url, startedAt }, failure);
        if (!finished && scheduled.task.started) {
          emit({ type: 'request-finished', resource, attempt: progress.attempt, strategy });
        }
        throw failure;
      },
    );
    // Speculative results may never be consumed: their rejections must not go unhandled.
    promise.catch(() => undefined);
    return {
      method,
      url,
      key: requestKey(url, request),
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

  /** The request as this discovery sends it: its own address ranges, the store decides the signal. */
  function requestOf(init: HttpRequestInit): HttpRequestInit {
    const { allowAddressRanges: _ignored, signal: _own, ...rest } = init;
    return options.allowAddressRanges === undefined
      ? rest
      : { ...rest, allowAddressRanges: options.allowAddressRanges };
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
          const key = requestKey(url, requestOf(init));
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
          const ownSignal = init.signal === signal ? undefined : init.signal;
          const response = await (ownSignal === undefined
            ? entry.promise
            : raceAbort(entry.promise, ownSignal, () =>
                abortReason(ownSignal, `Request to ${url}`, { url }),
              ));
          record(token, response.attempt);
          if (response.status >= 200 && response.status < 300) {
            documents.push(response);
            consumed.push({ key: entry.key, response });
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
    speculate(input) {
      if (finished || signal.aborted) return;
      let url: string;
      try {
        url = new URL(input).href;
      } catch {
        return;
      }
      if (!url.startsWith('https:') && !url.startsWith('http:')) return;
      const init: HttpRequestInit = { method: 'GET', expect: 'json' };
      const key = requestKey(url, requestOf(init));
      if (memo.has(key)) return;
      memo.set(key, send(url, init, true));
    },
    finish(accepted) {
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
      if (unsettled > 0) {
        // After the caller has its answer: a leftover gets a grace to land anyway (document-store.ts).
        setImmediate(() =>
          ended.abort(
            abortedError(`Request of the discovery of ${resource}`, {
              url: resource,
              detail: 'because the discovery ended and no longer needs it',
            }),
          ),
        );
      }
      // Documents the discovery consumed but did not rest its result on (another resource's PRM, a
      // foreign issuer's metadata, a broken document) must not serve later discoveries.
      store.forget(consumed.filter((c) => !accepted.has(c.response.attempt.url)).map((c) => c.key));
    },
  };
}
