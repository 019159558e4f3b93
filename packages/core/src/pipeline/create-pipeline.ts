import { discoveryCacheKey } from '../cache/key.js';
import { createMemoryCache } from '../cache/memory-cache.js';
import { DiscoveryError, ErrorCodes, isDiscoveryError } from '../errors.js';
import { createHttpClient, type SafeHttpClient } from '../http/client.js';
import { resourceAddressRanges } from '../http/resource-ranges.js';
import { requireHttpUrl } from '../http/url-policy.js';
import { normalizeResource } from '../metadata/resource.js';
import { createTraceRecorder } from '../trace/recorder.js';
import type { DiscoverOptions, DiscoveryResult, DiscoveryStrategy, HttpClient } from '../types.js';
import { createDiscoverySignal } from './discovery-signal.js';
import { type CachedOutcome, createDocumentStore } from './document-store.js';
import { safeEmitter } from './events.js';
import { httpSourceOf, type PipelineOptions, resolvePipelineOptions } from './options.js';
import { runDiscovery } from './run-discovery.js';
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
  return normalizeResource(requireHttpUrl(input, 'Resource'));
}

/** The error with a trace: an empty one when it failed before any discovery ran. */
function withTrace(error: unknown, resource: string): unknown {
  if (isDiscoveryError(error) && error.trace === undefined)
    error.trace = createTraceRecorder(resource).snapshot();
  return error;
}

/** How one discovery ended, and whether the result cache answered it. */
type Outcome = CachedOutcome & { readonly fromCache: boolean };

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
          allowPrivateNetwork: options.allowPrivateNetwork ?? source.options?.allowPrivateNetwork,
        });
  const client: HttpClient = 'client' in source ? source.client : (ownClient as SafeHttpClient);
  const privateNetworkAllowed = ownClient?.options.allowPrivateNetwork === true;
  // One store for results, documents and requests in flight; `cache: false` turns all three off.
  const store = createDocumentStore({
    base: client,
    cache: options.cache === false ? undefined : (options.cache ?? createMemoryCache({ now })),
    lifetimes: cacheTtl,
    now,
  });
  const emit = safeEmitter(options.onEvent);
  const flights = createSingleFlight<Outcome>();
  const ordered = Object.freeze([...strategies]);

  async function discoverFresh(
    resource: string,
    key: string,
    call: DiscoverOptions,
    signal: AbortSignal,
  ): Promise<Outcome> {
    const range = resourceAddressRanges(resource)[0];
    const relaxations: string[] = [];
    if (privateNetworkAllowed) relaxations.push('allowPrivateNetwork');
    else if (range !== undefined)
      relaxations.push(`allowAddressRanges:${range} (the resource is on a ${range} address)`);
    const discovery = createDiscoverySignal(resource, signal, resolved.deadlineMs);
    try {
      const run = await runDiscovery({
        strategies: ordered,
        store,
        resource,
        challenge: call.challenge,
        challengeStatus: call.challengeStatus,
        signal: discovery.signal,
        speculate: resolved.speculate,
        maxInFlight: resolved.maxRequestsInFlight,
        emit,
        allowAddressRanges: range === undefined || privateNetworkAllowed ? undefined : [range],
        relaxations,
        refresh: call.noCache,
      });
      await store.keepResult(key, run.result, run.responses);
      return { ok: true, result: run.result, fromCache: false };
    } catch (error) {
      if (!isDiscoveryError(error)) throw error;
      await store.keepFailure(key, error);
      return { ok: false, error, fromCache: false };
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
    // A noCache call must not join a flight that may answer from the cache. The key's first line
    // stays the resource: single flight names it when a waiter leaves.
    const flightKey = call.noCache === true ? `${key}\n(no-cache)` : key;
    let outcome: Outcome;
    try {
      outcome = await flights.run(
        flightKey,
        async (signal): Promise<Outcome> => {
          const cached = call.noCache === true ? undefined : await store.lookup(key);
          return cached === undefined
            ? discoverFresh(resource, key, call, signal)
            : { ...cached, fromCache: true };
        },
        call.signal,
      );
    } catch (error) {
      finish(false, false);
      throw withTrace(error, resource);
    }
    finish(outcome.ok, outcome.fromCache);
    if (outcome.ok) return outcome.result;
    throw withTrace(outcome.error, resource);
  }

  return {
    discover,
    strategies: ordered,
    async close() {
      closed = true;
      // Leftovers kept running for later discoveries would hold the client's close() (and sockets) open.
      store.close();
      await ownClient?.close();
    },
  };
}
