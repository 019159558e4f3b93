import { createLru } from '../cache/lru.js';
import { documentLifetime } from '../cache/rules.js';
import type { TtlLimits } from '../cache/ttl.js';
import { DiscoveryError, ErrorCodes, isDiscoveryError } from '../errors.js';
import type { HttpClient, HttpRequestInit, HttpResponse } from '../types.js';
import { isNoLongerNeeded } from './discovery-http.js';
import { createSingleFlight } from './single-flight.js';

/** Options of {@link createSharedDocuments}. */
export interface SharedDocumentsOptions {
  /** Lifetime of a document whose response named no `max-age`/`s-maxage`, and the upper bound. */
  readonly ttl: TtlLimits;
  /** Lifetime of a 404/410 answer (a definitive "not here"), bounded by its `Cache-Control`. */
  readonly missMs: number;
  /** Clock in milliseconds since the epoch. */
  readonly now: () => number;
  /** Most documents kept. Default 500. */
  readonly maxEntries?: number;
}

interface StoredDocument {
  readonly expiresAt: number;
  readonly response: HttpResponse;
}

/**
 * The key of a GET: the address ranges it was allowed to reach are part of it, so a document fetched
 * for a local resource (loopback allowed) is never served to a discovery that may not reach loopback.
 */
function documentKey(url: string, init: HttpRequestInit): string {
  const ranges = [...(init.allowAddressRanges ?? [])].sort().join(',');
  const headers = init.headers === undefined ? '' : JSON.stringify(Object.entries(init.headers).sort());
  return `${ranges}\n${init.expect ?? 'json'}\n${url}\n${headers}`;
}

/** The pipeline's document sharing: a client that reuses documents, and one that refreshes them. */
export interface SharedDocuments extends HttpClient {
  /**
   * Fetches anew (for `discover(…, { noCache: true })`); what it gets may be kept like any other, and
   * an answer that may not be kept (other than a 5xx) drops the document kept before.
   */
  readonly refreshing: HttpClient;
  /**
   * Drops documents a discovery consumed but rejected (another resource's PRM, a foreign issuer's
   * metadata, a broken document), so later discoveries ask the server again.
   */
  forget(responses: readonly HttpResponse[]): void;
  /**
   * Aborts the requests left running for later discoveries (nobody waits for them) and stops
   * leaving any from now on; for `pipeline.close()`, which must neither wait for them nor leave
   * their sockets open.
   */
  close(): void;
}

/**
 * Shares metadata documents between the discoveries of one pipeline: a GET for JSON that another
 * discovery already has in flight joins that request; a 2xx JSON document serves later discoveries
 * for the lifetime its `Cache-Control` allows (`no-store`/`no-cache` → not kept; none →
 * `ttl.defaultMs`), a 404/410 for `missMs`. A hundred MCP servers behind one authorization server thus
 * cost one metadata request. A document a discovery rejected (another resource, a foreign issuer, a
 * broken schema) is forgotten at once (`forget`).
 *
 * Only the bytes are shared: every discovery still applies its own checks (resource, issuer) to the
 * document. POSTs and non-JSON requests pass straight through. A request shared by several
 * discoveries is aborted only when all of them have stopped waiting for it because of a caller's
 * abort or a deadline; one that is merely no longer needed (a speculative leftover) runs to its end
 * (bounded by the client's timeouts and body cap) and keeps what it brings.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9111#section-4.2.1
 */
export function createSharedDocuments(base: HttpClient, options: SharedDocumentsOptions): SharedDocuments {
  const documents = createLru<StoredDocument>(options.maxEntries ?? 500);
  // The key each response (and each copy handed out) was fetched under, so `forget` can find it.
  const keys = new WeakMap<HttpResponse, string>();

  /** The response as a discovery that did not send the request sees it: no time spent, marked `cached`. */
  function reused(response: HttpResponse, key: string): HttpResponse {
    const copy = { ...response, attempt: { ...response.attempt, durationMs: 0, cached: true } };
    keys.set(copy, key);
    return copy;
  }

  let closed = false;
  /**
   * The failure of a joined request as a discovery that did not send it sees it: its own error object
   * (the runner attaches each discovery's trace to the error it throws) with the attempt marked
   * `cached`, so only the sender counts the request.
   */
  function joinedFailure(error: unknown, url: string): unknown {
    if (!isDiscoveryError(error) || error.attempt?.url !== url) return error;
    return new DiscoveryError(error.code, error.message, {
      ...(error.url === undefined ? {} : { url: error.url }),
      expected: error.expected,
      actual: error.actual,
      cause: error.cause,
      attempt: { ...error.attempt, durationMs: 0, cached: true },
    });
  }

  const flights = createSingleFlight<HttpResponse>({
    // A request left over when its discovery ended runs to its end: the document it brings may
    // serve the next discovery (speculative requests are the usual leftovers).
    detachWhen: (reason) => !closed && isNoLongerNeeded(reason),
    abortedWhileWaiting: (key, reason) => {
      const url = key.split('\n')[2] ?? key;
      return isDiscoveryError(reason)
        ? reason
        : new DiscoveryError(ErrorCodes.ABORTED, `Request to ${url} was aborted`, { url, cause: reason });
    },
  });

  async function fetchAndKeep(key: string, url: string, init: HttpRequestInit): Promise<HttpResponse> {
    const response = await base.request(url, init);
    keys.set(response, key);
    const ttl = documentLifetime(response, { ...options.ttl, missMs: options.missMs });
    if (ttl !== null) documents.set(key, { expiresAt: options.now() + ttl, response });
    // A newer answer that may not be kept (no-store, another status) still supersedes the kept one,
    // e.g. after a noCache refresh; only a 5xx leaves it, as the server's fault of the moment.
    else if (response.status < 500) documents.delete(key);
    return response;
  }

  function client(reuse: boolean): HttpClient {
    return {
      async request(input, init = {}) {
        if ((init.method ?? 'GET') !== 'GET' || init.expect === 'any') return base.request(input, init);
        const url = String(input);
        const key = documentKey(url, init);
        const stored = reuse ? documents.get(key) : undefined;
        if (stored !== undefined) {
          if (stored.expiresAt > options.now()) return reused(stored.response, key);
          documents.delete(key);
        }
        const joining = reuse && flights.has(key);
        const { signal, ...rest } = init;
        const work = (own: AbortSignal) => fetchAndKeep(key, url, { ...rest, signal: own });
        // A refreshing request does not join a flight either: it must reach the server.
        let response: HttpResponse;
        try {
          response = reuse ? await flights.run(key, work, signal) : await fetchAndKeep(key, url, init);
        } catch (error) {
          throw joining ? joinedFailure(error, url) : error;
        }
        return joining ? reused(response, key) : response;
      },
    };
  }

  function forget(responses: readonly HttpResponse[]): void {
    for (const response of responses) {
      const key = keys.get(response);
      if (key !== undefined) documents.delete(key);
    }
  }

  function close(): void {
    closed = true;
    flights.abortDetached(
      new DiscoveryError(
        ErrorCodes.ABORTED,
        'Pipeline closed: requests left for later discoveries are aborted',
      ),
    );
    documents.clear();
  }

  return { ...client(true), refreshing: client(false), forget, close };
}
