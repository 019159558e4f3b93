import type { DiscoveryCache } from '../cache/types.js';
import { DiscoveryError, ErrorCodes } from '../errors.js';
import type { HttpClientOptions } from '../http/client-options.js';
import type { HttpClient } from '../types.js';
import type { DiscoveryEventListener } from './events.js';

/** Cache lifetimes of a pipeline, in milliseconds. */
export interface CacheTtlOptions {
  /** Lifetime of a result whose responses named no `max-age`/`s-maxage`. Default 300000 (5 min). */
  readonly defaultMs?: number;
  /** Upper bound for any lifetime, whatever the server says. Default 86400000 (24 h). */
  readonly maxMs?: number;
  /** Lifetime of a cached miss (`DISCOVERY_FAILED`); 0 turns negative caching off. Default 30000. */
  readonly missMs?: number;
}

/** Options of `createPipeline()`. Every field is optional and defaults to the safe choice. */
export interface PipelineOptions {
  /** The HTTP client for every request, yours to close. Not together with `httpOptions`. */
  readonly httpClient?: HttpClient | undefined;
  /**
   * Options for the HTTP client the pipeline creates (`close()` closes it). Default: a client with
   * default options.
   */
  readonly httpOptions?: HttpClientOptions | undefined;
  /**
   * @deprecated Use `httpClient` (an instance) or `httpOptions` (options for the client the pipeline
   * creates); this one tells them apart by whether it has a `request` function.
   */
  readonly http?: HttpClient | HttpClientOptions | undefined;
  /**
   * Start the probable requests of later strategies early (from their `prefetch`) and keep the
   * responses in a per-discovery memo. Results are committed in priority order, so the outcome is
   * the same as without it; only wall time and the number of requests change. Default `false`: the
   * server sees exactly the requests of a sequential client following the MCP order, one at a time.
   * With `true`, a discovery can finish in the time of its longest dependent chain, but the server
   * also sees requests a sequential client never makes (the root PRM beside the path-aware one, the
   * OIDC URLs beside the OAuth one, the legacy origin URL) — the MCP conformance suite's
   * `auth/metadata-default` fails a client that asks for the root PRM while the path-aware one
   * exists. The trace marks those requests `speculative` and lists the unused ones.
   */
  readonly speculate?: boolean | undefined;
  /**
   * At most this many requests of one discovery in flight at once. Default 6. Only speculation (or a
   * strategy of your own that fans out) ever has more than one; requests a strategy waits for go ahead
   * of queued speculative ones, and a queued request dropped when the discovery ends was never sent.
   */
  readonly maxRequestsInFlight?: number;
  /** Overall deadline of one discovery, in ms; past it, `discover()` fails with `DEADLINE_EXCEEDED`. Default 30000. */
  readonly deadlineMs?: number;
  /**
   * Where results and misses are cached; `false` turns caching off — of results, and of the metadata
   * documents the pipeline otherwise shares between discoveries (a document fetched for one resource
   * serves every other resource behind the same server, within its `Cache-Control` lifetime; each
   * discovery still checks it). Default: a new in-memory LRU (500 entries).
   */
  readonly cache?: DiscoveryCache | false | undefined;
  /** Cache lifetimes. */
  readonly cacheTtl?: CacheTtlOptions;
  /** Progress events (steps and requests); a throwing listener is ignored. */
  readonly onEvent?: DiscoveryEventListener | undefined;
  /**
   * Turn the SSRF guard off for the client the pipeline creates: metadata URLs may point at private,
   * loopback and link-local addresses. Weakens security (RFC 9728 §7.7); noted in `trace.relaxations`
   * when a request went out under it. Not allowed together with an `http` client instance (configure
   * that client instead). Local resources do not need it: when the resource itself is on a loopback or
   * private address, that range is allowed for its discovery.
   */
  readonly allowPrivateNetwork?: boolean | undefined;
  /** Clock for cache expiry, in ms since the epoch. Default `Date.now`; tests inject one. */
  readonly now?: () => number;
}

/** The options in effect, defaults filled in. */
export interface ResolvedPipelineOptions {
  readonly speculate: boolean;
  readonly maxRequestsInFlight: number;
  readonly deadlineMs: number;
  readonly cacheTtl: Required<CacheTtlOptions>;
  readonly now: () => number;
}

/** Defaults of the numeric pipeline options. */
export const PIPELINE_DEFAULTS = {
  deadlineMs: 30_000,
  maxRequestsInFlight: 6,
  cacheTtl: { defaultMs: 300_000, maxMs: 86_400_000, missMs: 30_000 },
} as const;

function checkMs(key: string, value: number, min: number): number {
  if (!Number.isFinite(value) || !Number.isInteger(value) || value < min) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      `Pipeline option ${key} must be an integer >= ${min}`,
      {
        expected: `an integer >= ${min}`,
        actual: value,
      },
    );
  }
  return value;
}

function isHttpClient(http: HttpClient | HttpClientOptions | undefined): http is HttpClient {
  return typeof (http as { request?: unknown } | undefined)?.request === 'function';
}

/** Where the pipeline's HTTP client comes from: the caller's instance, or options to create one. */
export type HttpSource =
  | { readonly client: HttpClient }
  | { readonly options: HttpClientOptions | undefined };

/**
 * Reads `httpClient` / `httpOptions` (and the deprecated `http`).
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` when more than one of them is set.
 */
export function httpSourceOf(options: PipelineOptions): HttpSource {
  const given = (['httpClient', 'httpOptions', 'http'] as const).filter((key) => options[key] !== undefined);
  if (given.length > 1) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      `Pipeline options ${given.join(' and ')} exclude each other: pass an httpClient instance or httpOptions`,
      { expected: 'one of httpClient or httpOptions', actual: given },
    );
  }
  if (options.httpClient !== undefined) return { client: options.httpClient };
  if (isHttpClient(options.http)) return { client: options.http };
  return { options: options.httpOptions ?? options.http };
}

/** Fills in defaults and checks the options; a bad value fails with `INVALID_CONFIG` naming the key. */
export function resolvePipelineOptions(options: PipelineOptions): ResolvedPipelineOptions {
  if (options.allowPrivateNetwork !== undefined && 'client' in httpSourceOf(options)) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      'Pipeline option allowPrivateNetwork only applies to a client the pipeline creates; set it on your HttpClient instead',
      { expected: 'http options or no allowPrivateNetwork', actual: 'an HttpClient instance' },
    );
  }
  const ttl = { ...PIPELINE_DEFAULTS.cacheTtl, ...options.cacheTtl };
  return {
    speculate: options.speculate ?? false,
    maxRequestsInFlight: checkMs(
      'maxRequestsInFlight',
      options.maxRequestsInFlight ?? PIPELINE_DEFAULTS.maxRequestsInFlight,
      1,
    ),
    deadlineMs: checkMs('deadlineMs', options.deadlineMs ?? PIPELINE_DEFAULTS.deadlineMs, 1),
    cacheTtl: {
      defaultMs: checkMs('cacheTtl.defaultMs', ttl.defaultMs, 0),
      maxMs: checkMs('cacheTtl.maxMs', ttl.maxMs, 0),
      missMs: checkMs('cacheTtl.missMs', ttl.missMs, 0),
    },
    now: options.now ?? Date.now,
  };
}
