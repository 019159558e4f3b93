import type { HttpClient, HttpRequestInit, HttpResponse } from '@oauth-discovery/core';

/** Options of {@link createSharedMetadataClient}. */
export interface SharedMetadataClientOptions {
  /** How long a fetched document is shared, in ms (`Cache-Control: no-store`/`no-cache` → not kept). */
  readonly ttlMs: number;
  /** Most documents kept. Default 2000. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/** The client, and how many requests it sent and answered from memory. */
export interface SharedMetadataClient extends HttpClient {
  readonly stats: { readonly sent: number; readonly shared: number };
}

function keyOf(url: string, init: HttpRequestInit): string | undefined {
  if ((init.method ?? 'GET') !== 'GET' || init.body !== undefined) return undefined;
  const headers = Object.entries(init.headers ?? {})
    .map(([name, value]) => `${name.toLowerCase()}:${value}`)
    .sort()
    .join('\n');
  return `${init.expect ?? 'json'}\n${url}\n${headers}`;
}

function keepable(response: HttpResponse): boolean {
  const control = response.headers['cache-control'] ?? '';
  return !/\b(no-store|no-cache)\b/i.test(control);
}

/** Resolves like `promise`, or rejects when `signal` aborts; the shared request itself goes on. */
function leaveOnAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((done, fail) => {
    const onAbort = () => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        done(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        fail(error);
      },
    );
  });
}

/**
 * Wraps the pipeline's HTTP client so that every discovery of every upstream shares metadata GETs: one
 * request per distinct URL in flight (single flight across discoveries) and the answer kept for `ttlMs`.
 * The pipeline caches results per resource; this shares what many resources have in common — the
 * authorization server metadata of an issuer that protects a hundred upstreams, the root PRM of an
 * origin. POSTs (the unauthenticated MCP probe) and failures are never kept.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3
 */
export function createSharedMetadataClient(
  base: HttpClient,
  options: SharedMetadataClientOptions,
): SharedMetadataClient {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 2000;
  const kept = new Map<string, { readonly response: HttpResponse; readonly expiresAt: number }>();
  const inFlight = new Map<string, Promise<HttpResponse>>();
  const stats = { sent: 0, shared: 0 };

  return {
    stats,
    request(url, init = {}) {
      const key = keyOf(String(url), init);
      if (key === undefined) {
        stats.sent += 1;
        return base.request(url, init);
      }
      const hit = kept.get(key);
      if (hit !== undefined && hit.expiresAt > now()) {
        stats.shared += 1;
        return Promise.resolve(hit.response);
      }
      kept.delete(key);
      const running = inFlight.get(key);
      if (running !== undefined) {
        stats.shared += 1;
        return leaveOnAbort(running, init.signal);
      }
      // The shared request must outlive any one discovery's abort (speculation leftovers, deadlines).
      const { signal: _own, ...shared } = init;
      stats.sent += 1;
      const request = base.request(url, shared).then(
        (response) => {
          inFlight.delete(key);
          if (options.ttlMs > 0 && keepable(response)) {
            if (kept.size >= maxEntries) {
              const oldest = kept.keys().next().value;
              if (oldest !== undefined) kept.delete(oldest);
            }
            kept.set(key, { response, expiresAt: now() + options.ttlMs });
          }
          return response;
        },
        (error: unknown) => {
          inFlight.delete(key);
          throw error;
        },
      );
      inFlight.set(key, request);
      return leaveOnAbort(request, init.signal);
    },
  };
}
