import { abortedError } from '../abort.js';
import { requestKey } from '../cache/key.js';
import { createLru } from '../cache/lru.js';
import { type CacheLifetimes, documentLifetime, missLifetime, resultLifetime } from '../cache/rules.js';
import type { CachedFailure, DiscoveryCache } from '../cache/types.js';
import { DiscoveryError, ErrorCodes, isDiscoveryError } from '../errors.js';
import type { DiscoveryResult, HttpClient, HttpRequestInit, HttpResponse } from '../types.js';
import { createDocumentView, type DocumentView, type ViewOptions } from './document-view.js';
import { createSharedRequests, type Waiter } from './shared-requests.js';

/** Options of {@link createDocumentStore}. */
export interface DocumentStoreOptions {
  /** The pipeline's client (created by the pipeline or given by the caller). */
  readonly base: HttpClient;
  /**
   * Where discovery results are kept; `undefined` (the pipeline's `cache: false`) turns off results,
   * kept documents and requests shared between discoveries alike.
   */
  readonly cache: DiscoveryCache | undefined;
  readonly lifetimes: CacheLifetimes;
  /** Clock in milliseconds since the epoch. */
  readonly now: () => number;
  /** Most documents kept. Default 500. */
  readonly maxDocuments?: number | undefined;
}

/** How a request goes through the store: who waits for it, and whether it may be answered from it. */
export interface FetchOptions extends Waiter {
  /** Fetch anew (`discover(…, { noCache: true })`): no kept document, no joining; the answer is kept. */
  readonly refresh?: boolean | undefined;
}

/** A discovery's outcome as the result cache kept it. */
export type CachedOutcome =
  | { readonly ok: true; readonly result: DiscoveryResult }
  | { readonly ok: false; readonly error: DiscoveryError };

/**
 * The one store of a pipeline: discovery results, the documents they were built from, and the
 * requests in flight — seen by each discovery through its own {@link DocumentView}.
 */
export interface DocumentStore {
  /** A view for one discovery: its memo, signal, request budget and trace. */
  view(options: ViewOptions): DocumentView;
  /**
   * One request: a kept document (marked `cached`), else the same request in flight for another
   * discovery (joined, marked `cached`), else a new one whose answer is kept as the rules allow.
   * POSTs and non-JSON GETs pass straight through.
   */
  fetch(url: string, init: HttpRequestInit, options?: FetchOptions): Promise<HttpResponse>;
  /** Drops kept documents (by {@link requestKey}) a discovery consumed but rejected. */
  forget(keys: Iterable<string>): void;
  /** The kept outcome of the discovery with this key (`discoveryCacheKey`), if still fresh. */
  lookup(key: string): Promise<CachedOutcome | undefined>;
  /** Keeps a result for as long as `resultLifetime` allows (`responses`: the 2xx its found steps used). */
  keepResult(key: string, result: DiscoveryResult, responses: readonly HttpResponse[]): Promise<void>;
  /** Keeps a failed discovery for as long as `missLifetime` allows. */
  keepFailure(key: string, error: DiscoveryError): Promise<void>;
  /** Aborts the requests left running for later discoveries and drops the kept documents. */
  close(): void;
}

interface KeptDocument {
  readonly expiresAt: number;
  readonly response: HttpResponse;
}

/**
 * A signal that aborts when any of `signals` does. Unlike `AbortSignal.any`, whose result Node may
 * collect while only a request in flight holds it, the sources' listeners keep it alive until
 * `release()`.
 */
function linkedSignal(signals: readonly (AbortSignal | undefined)[]): {
  signal: AbortSignal;
  abort(reason: unknown): void;
  release(): void;
} {
  const controller = new AbortController();
  const sources = signals.filter((signal) => signal !== undefined);
  const onAbort = function (this: AbortSignal): void {
    controller.abort(this.reason);
  };
  for (const source of sources) {
    if (source.aborted) controller.abort(source.reason);
    else source.addEventListener('abort', onAbort, { once: true });
  }
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    release: () => {
      for (const source of sources) source.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * How long a request nobody shares may still run once its discovery stopped needing it (a
 * speculative leftover, a request a strategy never awaited): long enough for an answer already on its
 * way to land and leave its connection in the pool, short enough that a hanging server holds nothing.
 */
const LEFTOVER_GRACE_MS = 1_000;

/** Aborts `own` {@link LEFTOVER_GRACE_MS} after `ended` aborts; returns the clean-up. */
function abortAfterGrace(ended: AbortSignal | undefined, own: { abort(reason: unknown): void }): () => void {
  if (ended === undefined) return () => undefined;
  let timer: NodeJS.Timeout | undefined;
  const onEnded = (): void => {
    timer = setTimeout(() => own.abort(ended.reason), LEFTOVER_GRACE_MS);
    timer.unref();
  };
  if (ended.aborted) onEnded();
  else ended.addEventListener('abort', onEnded, { once: true });
  return () => {
    clearTimeout(timer);
    ended.removeEventListener('abort', onEnded);
  };
}

/** The response as a discovery that did not send the request sees it: no time spent, marked `cached`. */
function reused(response: HttpResponse): HttpResponse {
  return { ...response, attempt: { ...response.attempt, durationMs: 0, cached: true } };
}

/**
 * The failure of a joined request as a discovery that did not send it sees it: its own error object
 * (the runner attaches each discovery's trace to the error it throws) with the attempt marked
 * `cached`, so only the sender counts the request.
 */
function joinedFailure(error: unknown, url: string): unknown {
  if (!isDiscoveryError(error) || error.attempt?.url !== url) return error;
  return new DiscoveryError(error.code, error.message, {
    url: error.url,
    expected: error.expected,
    actual: error.actual,
    cause: error.cause,
    attempt: { ...error.attempt, durationMs: 0, cached: true },
  });
}

function cachedMiss(value: CachedFailure): DiscoveryError {
  return new DiscoveryError(ErrorCodes.DISCOVERY_FAILED, value.error.message, {
    url: value.error.url,
    expected: 'authorization server metadata',
    trace: value.trace,
  });
}

/**
 * Creates the pipeline's {@link DocumentStore}. What may be kept, and for how long, is decided by
 * `cache/rules.ts` alone: results (`resultLifetime`), failed discoveries (`missLifetime`) and
 * documents (`documentLifetime`: a 2xx JSON document for its `Cache-Control` lifetime, a 404/410 for
 * `missMs`). A hundred MCP servers behind one authorization server thus cost one metadata request.
 *
 * Only the bytes are shared: every discovery still applies its own checks (resource, issuer) to a
 * document, and forgets one it rejected. A request shared by several discoveries is aborted only when
 * all of them stopped waiting for it because of a caller's abort or a deadline; one that is merely no
 * longer needed (a speculative leftover) runs to its end and keeps what it brings.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9111#section-4.2.1
 */
export function createDocumentStore(options: DocumentStoreOptions): DocumentStore {
  const { base, cache, lifetimes, now } = options;
  const documents = createLru<KeptDocument>(options.maxDocuments ?? 500);
  const flights = createSharedRequests<HttpResponse>();
  const closing = new AbortController();

  async function fetchAndKeep(key: string, url: string, init: HttpRequestInit): Promise<HttpResponse> {
    const response = await base.request(url, init);
    const ttl = documentLifetime(response, lifetimes);
    if (ttl !== null) documents.set(key, { expiresAt: now() + ttl, response });
    // A newer answer that may not be kept (no-store, another status) still supersedes the kept one,
    // e.g. after a noCache refresh; only a 5xx leaves it, as the server's fault of the moment.
    else if (response.status < 500) documents.delete(key);
    return response;
  }

  async function fetch(url: string, init: HttpRequestInit, call: FetchOptions = {}): Promise<HttpResponse> {
    const { signal: _ignored, ...request } = init;
    const key = requestKey(url, request);
    const shared = cache !== undefined && (request.method ?? 'GET') === 'GET' && request.expect !== 'any';
    // A refreshing request neither reads a kept document nor joins a flight: it must reach the server.
    // When its discovery merely stops needing it (a leftover), it gets a short grace before the abort,
    // so an answer already on its way lands and its connection goes back to the pool instead of being
    // torn down; the caller's abort, the deadline and close() stop it at once.
    if (!shared || call.refresh === true) {
      const own = linkedSignal([call.signal, closing.signal]);
      const stopGrace = abortAfterGrace(call.ended, own);
      try {
        const options = { ...request, signal: own.signal };
        return await (shared ? fetchAndKeep(key, url, options) : base.request(url, options));
      } finally {
        stopGrace();
        own.release();
      }
    }
    const kept = documents.get(key);
    if (kept !== undefined) {
      if (kept.expiresAt > now()) return reused(kept.response);
      documents.delete(key);
    }
    const flight = flights.run(key, url, (own) => fetchAndKeep(key, url, { ...request, signal: own }), call);
    try {
      const response = await flight.promise;
      return flight.joined ? reused(response) : response;
    } catch (error) {
      throw flight.joined ? joinedFailure(error, url) : error;
    }
  }

  const store: DocumentStore = {
    view: (viewOptions) => createDocumentView(store, viewOptions),
    fetch,
    forget(keys) {
      for (const key of keys) documents.delete(key);
    },
    async lookup(key) {
      if (cache === undefined) return undefined;
      // A shared store may throw synchronously or hand back anything: both count as a miss.
      const entry = await Promise.resolve()
        .then(() => cache.get(key))
        .catch(() => undefined);
      if (typeof entry?.value !== 'object' || entry.value === null || !(entry.expiresAt > now()))
        return undefined;
      if (entry.value.ok) return { ok: true, result: { ...entry.value.result, fromCache: true } };
      return { ok: false, error: cachedMiss(entry.value) };
    },
    async keepResult(key, result, responses) {
      const ttl = resultLifetime(result, responses, lifetimes);
      if (ttl !== null) await keep(key, ttl, { ok: true, result });
    },
    async keepFailure(key, error) {
      const ttl = missLifetime(error, lifetimes);
      if (ttl === null || error.trace === undefined) return;
      const { code, message, url } = error;
      await keep(key, ttl, { ok: false, error: { code, message, url }, trace: error.trace });
    },
    close() {
      const reason = abortedError('Requests left running', { detail: 'because the pipeline closed' });
      closing.abort(reason);
      flights.close(reason);
      documents.clear();
    },
  };

  async function keep(
    key: string,
    ttl: number,
    value: CachedFailure | { ok: true; result: DiscoveryResult },
  ) {
    if (cache === undefined) return;
    try {
      await cache.set(key, { expiresAt: now() + ttl, value });
    } catch {
      // A failing shared store must not fail a discovery that succeeded.
    }
  }

  return store;
}
