import { discoveryCacheKey } from '../cache/key.js';
import { createMemoryCache } from '../cache/memory-cache.js';
import { missLifetime, resultLifetime } from '../cache/rules.js';
import type { CachedFailure, DiscoveryCache } from '../cache/types.js';
import { DiscoveryError, ErrorCodes, isDiscoveryError } from '../errors.js';
import { createHttpClient, type SafeHttpClient } from '../http/client.js';
import { resourceAddressRanges } from '../http/resource-ranges.js';
import { normalizeResource } from '../metadata/resource.js';
import { createTraceRecorder } from '../trace/recorder.js';
import type { DiscoverOptions, DiscoveryResult, DiscoveryStrategy, HttpClient } from '../types.js';
import { createDiscoverySignal } from './discovery-signal.js';
import { safeEmitter } from './events.js';
import { httpSourceOf, type PipelineOptions, resolvePipelineOptions } from './options.js';
import { type DiscoveryRun, runDiscovery } from './run-discovery.js';
import { createSharedDocuments, type SharedDocuments } from './shared-documents.js';
import { createSingleFlight } from './single-flight.js';

/** A configured discovery pipeline. */
export interface Pipeline {
  /**
   * Finds the authorization server of a protected resource (an MCP server URL): answers from the
   * cache when it can, shares one discovery between concurrent calls for the same resource and
   * challenge, and otherwise runs the strategies in order.
   *
   * @throws {DiscoveryError} `INVALID_URL` (not an absolute http(s) URL), `DISCOVERY_FAILED` (no
   *   strategy found it; the message summarises every path tried), a security error
   *   (`ISSUER_MISMATCH`, `RESOURCE_MISMATCH`, `BLOCKED_ADDRESS`, …), `ABORTED` or
   *   `DEADLINE_EXCEEDED` — each with the trace so far in `error.trace`.
   */
  discover(resource: string | URL, options?: DiscoverOptions): Promise<DiscoveryResult>;
  /** The strategies, in the order they run. */
  readonly strategies: readonly DiscoveryStrategy[];
  /**
   * Closes the HTTP client if the pipeline created it (a client instance you passed is left open);
   * `discover()` then fails with `INVALID_CONFIG`.
   */
  close(): Promise<void>;
}

/** Parses and normalises the resource: absolute `http:`/`https:` URL, fragment dropped. */
function validateResource(input: string | URL): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch (cause) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_URL,
      `Resource ${JSON.stringify(String(input))} is not an absolute URL`,
      {
        url: String(input),
        expected: 'an absolute http(s) URL',
        actual: String(input),
        cause,
      },
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DiscoveryError(ErrorCodes.INVALID_URL, `Resource ${url.href} is not an http(s) URL`, {
      url: url.href,
      expected: 'an absolute http(s) URL',
      actual: url.protocol,
    });
  }
  return normalizeResource(url);
}

function cachedMiss(value: CachedFailure): DiscoveryError {
  return new DiscoveryError(ErrorCodes.DISCOVERY_FAILED, value.error.message, {
    ...(value.error.url === undefined ? {} : { url: value.error.url }),
    expected: 'authorization server metadata',
    trace: value.trace,
  });
}

/**
 * Creates a discovery pipeline from strategies (run in the given order: presets and static
 * configuration first, then `www-authenticate`, `rfc9728`, `rfc8414`, `oidc`) and options.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` when an option is invalid.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 */
export function createPipeline(
  strategies: readonly DiscoveryStrategy[],
  options: PipelineOptions = {},
): Pipeline {
  const resolved = resolvePipelineOptions(options);
  const { now, cacheTtl } = resolved;
  const source = httpSourceOf(options);
  const ownClient: SafeHttpClient | undefined =
    'client' in source
      ? undefined
      : createHttpClient({
          ...source.options,
          ...(options.allowPrivateNetwork === undefined
            ? {}
            : { allowPrivateNetwork: options.allowPrivateNetwork }),
        });
  const client: HttpClient = 'client' in source ? source.client : (ownClient as SafeHttpClient);
  // Documents are shared between discoveries unless caching is off altogether.
  const shared: SharedDocuments | undefined =
    options.cache === false
      ? undefined
      : createSharedDocuments(client, { ttl: cacheTtl, missMs: cacheTtl.missMs, now });
  const privateNetworkAllowed = ownClient?.options.allowPrivateNetwork === true;
  const cache: DiscoveryCache | undefined =
    options.cache === false ? undefined : (options.cache ?? createMemoryCache({ now }));
  const emit = safeEmitter(options.onEvent);
  const flights = createSingleFlight<DiscoveryResult>();
  const fromCacheErrors = new WeakSet<object>();
  const ordered = Object.freeze([...strategies]);

  async function store(
    key: string,
    outcome: { run: DiscoveryRun } | { error: DiscoveryError },
  ): Promise<void> {
    if (cache === undefined) return;
    try {
      // What may be kept and for how long: cache/rules.ts (one place for every caching rule).
      if ('run' in outcome) {
        const ttl = resultLifetime(outcome.run.result, outcome.run.responses, cacheTtl);
        if (ttl !== null)
          await cache.set(key, { expiresAt: now() + ttl, value: { ok: true, result: outcome.run.result } });
        return;
      }
      const { error } = outcome;
      const ttl = missLifetime(error, cacheTtl);
      if (ttl === null || error.trace === undefined) return;
      await cache.set(key, {
        expiresAt: now() + ttl,
        value: {
          ok: false,
          error: {
            code: error.code,
            message: error.message,
            ...(error.url === undefined ? {} : { url: error.url }),
          },
          trace: error.trace,
        },
      });
    } catch {
      // A failing shared store must not fail a discovery that succeeded.
    }
  }

  async function lookup(key: string): Promise<DiscoveryResult | undefined> {
    if (cache === undefined) return undefined;
    // A shared store may throw synchronously or hand back anything: both count as a miss.
    const entry = await Promise.resolve()
      .then(() => cache.get(key))
      .catch(() => undefined);
    if (typeof entry?.value !== 'object' || entry.value === null || !(entry.expiresAt > now()))
      return undefined;
    if (entry.value.ok) return { ...entry.value.result, fromCache: true };
    const error = cachedMiss(entry.value);
    fromCacheErrors.add(error);
    throw error;
  }

  async function discoverFresh(
    resource: string,
    key: string,
    call: DiscoverOptions,
    signal: AbortSignal,
  ): Promise<DiscoveryResult> {
    const range = resourceAddressRanges(resource)[0];
    const relaxations: string[] = [];
    if (privateNetworkAllowed) relaxations.push('allowPrivateNetwork');
    else if (range !== undefined)
      relaxations.push(`allowAddressRanges:${range} (the resource is on a ${range} address)`);
    const discovery = createDiscoverySignal(resource, signal, resolved.deadlineMs);
    try {
      const run = await runDiscovery({
        strategies: ordered,
        http: shared === undefined ? client : call.noCache === true ? shared.refreshing : shared,
        resource,
        ...(call.challenge === undefined ? {} : { challenge: call.challenge }),
        ...(call.challengeStatus === undefined ? {} : { challengeStatus: call.challengeStatus }),
        signal: discovery.signal,
        speculate: resolved.speculate,
        maxInFlight: resolved.maxRequestsInFlight,
        emit,
        ...(range === undefined || privateNetworkAllowed ? {} : { allowAddressRanges: [range] }),
        relaxations,
        ...(shared === undefined ? {} : { onDocumentsRejected: shared.forget }),
      });
      await store(key, { run });
      return run.result;
    } catch (error) {
      if (isDiscoveryError(error)) await store(key, { error });
      throw error;
    } finally {
      discovery.dispose();
    }
  }

  let closed = false;

  async function discover(input: string | URL, call: DiscoverOptions = {}): Promise<DiscoveryResult> {
    const resource = validateResource(input);
    if (closed) {
      throw new DiscoveryError(ErrorCodes.INVALID_CONFIG, `Pipeline is closed; cannot discover ${resource}`, {
        url: resource,
        trace: createTraceRecorder(resource).snapshot(),
      });
    }
    const key = discoveryCacheKey(resource, call.challenge, call.challengeStatus);
    const started = performance.now();
    emit({ type: 'discovery-started', resource });
    const finish = (ok: boolean, fromCache: boolean): void =>
      emit({
        type: 'discovery-finished',
        resource,
        ok,
        durationMs: Math.round(performance.now() - started),
        fromCache,
      });
    try {
      // A noCache call must not join a flight that may answer from the cache. The key's first line
      // stays the resource: single flight names it when a waiter leaves.
      const flightKey = call.noCache === true ? `${key}\n(no-cache)` : key;
      const result = await flights.run(
        flightKey,
        async (signal) =>
          (call.noCache === true ? undefined : await lookup(key)) ??
          discoverFresh(resource, key, call, signal),
        call.signal,
      );
      finish(true, result.fromCache);
      return result;
    } catch (error) {
      finish(false, typeof error === 'object' && error !== null && fromCacheErrors.has(error));
      if (isDiscoveryError(error) && error.trace === undefined)
        error.trace = createTraceRecorder(resource).snapshot();
      throw error;
    }
  }

  return {
    discover,
    strategies: ordered,
    async close() {
      closed = true;
      // Leftovers kept running for later discoveries would hold the client's close() (and sockets) open.
      shared?.close();
      await ownClient?.close();
    },
  };
}
