import { abortReason, isAbortError } from '../abort.js';
import { DiscoveryError, ErrorCodes, isDiscoveryError } from '../errors.js';
import type { AddressRange } from '../http/address-policy.js';
import { relaxationOf } from '../preset/resource-exception.js';
import { createTraceRecorder, type StepRecorder } from '../trace/recorder.js';
import type { TraceStep } from '../trace/types.js';
import type {
  ContributionKey,
  DiscoveryResult,
  DiscoveryState,
  DiscoveryStrategy,
  HttpResponse,
  StrategyOutcome,
} from '../types.js';
import { raceAbort } from './discovery-signal.js';
import type { DocumentStore } from './document-store.js';
import type { DocumentView } from './document-view.js';
import type { DiscoveryEventListener } from './events.js';
import { guessBlocker, realCause, realCauseError } from './honest-failure.js';
import { buildResult, discoveryFailed } from './result.js';
import { alreadyKnownReason, initialState, mergeContribution } from './state.js';

/** Everything one run of the strategies needs. */
export interface RunDiscoveryOptions {
  readonly strategies: readonly DiscoveryStrategy[];
  /** The pipeline's store: the discovery sees it through a view of its own. */
  readonly store: DocumentStore;
  /** The normalised resource. */
  readonly resource: string;
  readonly challenge?: string | undefined;
  readonly challengeStatus?: number | undefined;
  /** Aborts with a `DiscoveryError` reason (`ABORTED` or `DEADLINE_EXCEEDED`). */
  readonly signal: AbortSignal;
  readonly speculate: boolean;
  /** At most this many requests in flight (default unlimited). */
  readonly maxInFlight?: number | undefined;
  readonly emit: DiscoveryEventListener;
  readonly allowAddressRanges?: readonly AddressRange[] | undefined;
  /** Relaxations noted in the trace once a request went out under them. */
  readonly relaxations?: readonly string[] | undefined;
  /** Fetch every document anew (`noCache`). */
  readonly refresh?: boolean | undefined;
}

/** A successful run: the result, and the 2xx responses its found steps consumed. */
export interface DiscoveryRun {
  readonly result: DiscoveryResult;
  /** Their `Cache-Control` headers bound the result's cache lifetime. */
  readonly responses: readonly HttpResponse[];
}

const STATUSES: ReadonlySet<string> = new Set(['found', 'not-found', 'skipped']);

function isOutcome(value: unknown): value is StrategyOutcome {
  return (
    typeof value === 'object' &&
    value !== null &&
    STATUSES.has(String((value as { status?: unknown }).status))
  );
}

function isStopping(error: DiscoveryError): boolean {
  return error.isSecurityError || isAbortError(error);
}

function asDiscoveryError(error: unknown, strategy: string): DiscoveryError {
  if (isDiscoveryError(error)) return error;
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new DiscoveryError(ErrorCodes.STRATEGY_ERROR, `Strategy ${strategy} threw ${what}`, {
    cause: error,
  });
}

/**
 * Runs the strategies strictly in order until the authorization server is known, with speculation
 * when enabled, and returns the result or throws a `DiscoveryError` carrying the trace.
 *
 * - A strategy whose `contributes` keys are all known is skipped; once the authorization server is
 *   known, every remaining strategy is skipped ("authorization server already known from …").
 * - A security error, `ABORTED` or `DEADLINE_EXCEEDED` stops the discovery at once; any other
 *   exception is recorded as a `failed` step and the next strategy runs.
 * - Speculation: as each strategy starts (the state may have grown), `prefetch` of every strategy
 *   still to run is asked for URLs, whose GETs start through the per-discovery memo as soon as the
 *   strategy's own first requests are on the wire, so the request it waits for is not queued behind
 *   them; strategies that start in the same turn share one speculation, from the newest state.
 *   Outcomes are still committed in priority order, so the result equals a run without speculation.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 */
export async function runDiscovery(options: RunDiscoveryOptions): Promise<DiscoveryRun> {
  const { strategies, resource, signal, emit } = options;
  const recorder = createTraceRecorder(resource);
  // A preset's relaxation (a traced exception to a check) is also listed in `trace.relaxations`.
  const noteOn = (step: StepRecorder, message: string) => {
    step.note(message);
    const relaxation = relaxationOf(message);
    if (relaxation !== undefined) recorder.addRelaxation(relaxation);
  };
  const http = options.store.view({
    resource,
    signal,
    recorder,
    emit,
    allowAddressRanges: options.allowAddressRanges,
    relaxations: options.relaxations,
    maxInFlight: options.maxInFlight,
    refresh: options.refresh,
  });
  let state = initialState(resource, options.challenge, options.challengeStatus);
  const provenance = new Map<ContributionKey, string>();
  const responses: HttpResponse[] = [];
  let version = 0;
  let prefetchedVersion = -1;
  let speculation: { readonly index: number; readonly state: DiscoveryState } | undefined;

  const finished = (step: TraceStep): void => emit({ type: 'step-finished', resource, step });
  const aborted = (): DiscoveryError => abortReason(signal, `Discovery of ${resource}`, { url: resource });
  const stop = (error: DiscoveryError): DiscoveryError => {
    // A failed discovery rests on no document: none it consumed serves a later one.
    http.finish(new Set());
    error.trace = recorder.snapshot();
    return error;
  };

  for (const [index, strategy] of strategies.entries()) {
    if (signal.aborted) throw stop(aborted());
    const answer = state.authorizationServer;
    if (answer !== undefined) {
      finished(recorder.skipStep(strategy.name, `authorization server already known from ${answer.source}`));
      continue;
    }
    const known = alreadyKnownReason(state, strategy.contributes, provenance);
    if (known !== undefined) {
      finished(recorder.skipStep(strategy.name, known));
      continue;
    }
    emit({ type: 'step-started', resource, strategy: strategy.name });
    const step = recorder.startStep(strategy.name);
    const stepHttp = http.forStep(step);
    let outcome: StrategyOutcome;
    try {
      const running = Promise.resolve().then(() =>
        strategy.run({ state, http: stepHttp, signal, note: (message) => noteOn(step, String(message)) }),
      );
      if (options.speculate && prefetchedVersion !== version) {
        prefetchedVersion = version;
        // Strategies that start in the same turn share one speculation, from the newest state.
        const scheduled = speculation !== undefined;
        speculation = { index, state };
        if (!scheduled) {
          afterRequestsWritten(() => {
            const from = speculation;
            speculation = undefined;
            if (from !== undefined) speculateFrom(from.index, strategies, from.state, provenance, http);
          });
        }
      }
      const value: unknown = await raceAbort(running, signal, aborted);
      if (!isOutcome(value)) {
        throw new DiscoveryError(
          ErrorCodes.STRATEGY_ERROR,
          `Strategy ${strategy.name} returned ${JSON.stringify(value) ?? String(value)} instead of an outcome`,
          { expected: "{ status: 'found' | 'not-found' | 'skipped', … }", actual: value },
        );
      }
      outcome = value;
    } catch (error) {
      const failure = signal.aborted ? aborted() : asDiscoveryError(error, strategy.name);
      if (signal.aborted) stepHttp.recordInFlight();
      finished(failStep(step, failure));
      if (isStopping(failure)) throw stop(failure);
      continue;
    }

    for (const note of outcome.status === 'skipped' ? [] : (outcome.notes ?? [])) step.note(note);
    const guess = outcome.status === 'found' ? outcome.contribution?.authorizationServer : undefined;
    if (guess?.issuerCheck === 'guessed') {
      // Guessed endpoints only after a real "not here" everywhere (see honest-failure.ts).
      const blocker = guessBlocker(recorder.snapshot(), state);
      if (blocker !== undefined) {
        finished(
          step.finish({
            outcome: 'failed',
            reason: `refusing to guess endpoints at ${guess.issuer}: ${blocker.message}`,
            errorCode: blocker.code,
          }),
        );
        throw stop(realCauseError(resource, recorder.snapshot(), blocker));
      }
    }
    if (outcome.status === 'found') {
      const merged = mergeContribution(state, outcome.contribution ?? {});
      state = merged.state;
      for (const key of merged.filled) provenance.set(key, strategy.name);
      version += 1;
      responses.push(...stepHttp.documents);
      finished(step.finish({ outcome: 'found' }));
    } else {
      const misses =
        outcome.status === 'not-found' && Array.isArray(outcome.misses) ? outcome.misses : undefined;
      finished(step.finish({ outcome: outcome.status, reason: outcome.reason, misses }));
    }
  }

  const answer = state.authorizationServer;
  http.finish(new Set([state.resourceMetadata?.url, answer?.metadataUrl]));
  const trace = recorder.snapshot();
  if (answer === undefined) {
    const cause = realCause(trace, state);
    throw cause === undefined ? discoveryFailed(resource, trace) : realCauseError(resource, trace, cause);
  }
  return { result: buildResult(state, answer, trace), responses };
}

function failStep(step: StepRecorder, failure: DiscoveryError): TraceStep {
  return step.finish({ outcome: 'failed', reason: failure.message, errorCode: failure.code });
}

/**
 * Runs `callback` once the requests handed to the HTTP client in this turn of the event loop are on
 * the wire. undici writes a request to an idle keep-alive connection only in the check phase after it
 * (`setImmediate`, once it has made sure the server did not close it); a callback two check phases
 * later comes after that write. So the request a strategy waits for leaves before the speculative
 * ones, and their CPU cost, come after it.
 */
function afterRequestsWritten(callback: () => void): void {
  setImmediate(() => setImmediate(callback));
}

/** Starts the GETs that the strategies from `index` on will probably make, given the state so far. */
function speculateFrom(
  index: number,
  strategies: readonly DiscoveryStrategy[],
  state: DiscoveryState,
  provenance: ReadonlyMap<ContributionKey, string>,
  http: DocumentView,
): void {
  for (const strategy of strategies.slice(index)) {
    if (strategy.prefetch === undefined) continue;
    if (alreadyKnownReason(state, strategy.contributes, provenance) !== undefined) continue;
    let urls: readonly (string | URL)[];
    try {
      urls = strategy.prefetch(state);
    } catch {
      // A buggy prefetch only costs speed: the strategy still runs and fetches what it needs.
      continue;
    }
    if (!Array.isArray(urls)) continue;
    for (const url of urls) http.speculate(url);
  }
}
