import type { ErrorCode } from '../errors.js';
import type { DiscoveryTrace, HttpAttempt, TraceMiss, TraceStep } from './types.js';

/** How a step ended, as handed to {@link StepRecorder.finish}. */
export interface StepEnd {
  readonly outcome: TraceStep['outcome'];
  readonly reason?: string;
  readonly errorCode?: ErrorCode;
  readonly misses?: readonly TraceMiss[] | undefined;
}

/** Collects the attempts and notes of one strategy step while it runs. */
export interface StepRecorder {
  readonly strategy: string;
  /** Adds an HTTP attempt; ignored once the step is finished (a strategy that did not await its request). */
  addAttempt(attempt: HttpAttempt): void;
  /** Adds a line for people ("issuer adopted …"); ignored once the step is finished. */
  note(message: string): void;
  /** True once {@link StepRecorder.finish} was called. */
  readonly finished: boolean;
  /** Closes the step and appends it to the trace. Only the first call counts. */
  finish(end: StepEnd): TraceStep;
}

/** Builds one {@link DiscoveryTrace} while a discovery runs; {@link TraceRecorder.snapshot} freezes a copy. */
export interface TraceRecorder {
  readonly resource: string;
  /** Opens a step for `strategy`; it appears in the trace when finished, in the order steps finish. */
  startStep(strategy: string): StepRecorder;
  /** Appends a step that did not run. */
  skipStep(strategy: string, reason: string): TraceStep;
  /** Records a speculative request that no strategy consumed. */
  addUnusedSpeculation(attempt: HttpAttempt): void;
  /** Counts one request sent on the network. */
  countRequest(): void;
  /** Takes back a counted request that turned out to be served without one (a shared document). */
  uncountRequest(): void;
  /** Notes a security-weakening option that was in effect and used (deduplicated). */
  addRelaxation(relaxation: string): void;
  /** Milliseconds since the discovery started (the time axis of `startMs` in the trace). */
  elapsed(): number;
  /** An immutable copy of the trace so far. */
  snapshot(): DiscoveryTrace;
}

/** Options of {@link createTraceRecorder}. */
export interface TraceRecorderOptions {
  /** Monotonic clock in milliseconds for durations; defaults to `performance.now`. */
  readonly clock?: () => number;
  /** Wall clock for `startedAt`; defaults to `Date.now`. */
  readonly wallClock?: () => number;
}

const round = (ms: number): number => Math.max(0, Math.round(ms));

/**
 * Creates the recorder behind a discovery's {@link DiscoveryTrace}: steps in the order they were
 * decided, every attempt inside its step, unused speculation, request count and relaxations.
 */
export function createTraceRecorder(resource: string, options: TraceRecorderOptions = {}): TraceRecorder {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const startedAt = new Date((options.wallClock ?? Date.now)()).toISOString();
  const steps: TraceStep[] = [];
  const unused: HttpAttempt[] = [];
  const relaxations: string[] = [];
  let requestCount = 0;

  function startStep(strategy: string): StepRecorder {
    const stepStarted = clock();
    const attempts: HttpAttempt[] = [];
    const notes: string[] = [];
    let result: TraceStep | undefined;
    return {
      strategy,
      get finished() {
        return result !== undefined;
      },
      addAttempt(attempt) {
        if (result === undefined) attempts.push(Object.freeze({ ...attempt }));
      },
      note(message) {
        if (result === undefined) notes.push(message);
      },
      finish(end) {
        if (result !== undefined) return result;
        result = Object.freeze({
          strategy,
          outcome: end.outcome,
          ...(end.reason === undefined ? {} : { reason: end.reason }),
          notes: Object.freeze([...notes]),
          attempts: Object.freeze([...attempts]),
          durationMs: round(clock() - stepStarted),
          startMs: round(stepStarted - started),
          ...(end.errorCode === undefined ? {} : { errorCode: end.errorCode }),
          ...(end.misses === undefined || end.misses.length === 0
            ? {}
            : { misses: Object.freeze(end.misses.map((miss) => Object.freeze({ ...miss }))) }),
        });
        steps.push(result);
        return result;
      },
    };
  }

  return {
    resource,
    startStep,
    skipStep(strategy, reason) {
      const step: TraceStep = Object.freeze({
        strategy,
        outcome: 'skipped',
        reason,
        notes: Object.freeze([]),
        attempts: Object.freeze([]),
        durationMs: 0,
        startMs: round(clock() - started),
      });
      steps.push(step);
      return step;
    },
    addUnusedSpeculation(attempt) {
      unused.push(Object.freeze({ ...attempt }));
    },
    countRequest() {
      requestCount += 1;
    },
    uncountRequest() {
      requestCount = Math.max(0, requestCount - 1);
    },
    addRelaxation(relaxation) {
      if (!relaxations.includes(relaxation)) relaxations.push(relaxation);
    },
    elapsed: () => clock() - started,
    snapshot() {
      return Object.freeze({
        resource,
        steps: Object.freeze([...steps]),
        unusedSpeculation: Object.freeze([...unused]),
        requestCount,
        durationMs: round(clock() - started),
        startedAt,
        relaxations: Object.freeze([...relaxations]),
      });
    },
  };
}
