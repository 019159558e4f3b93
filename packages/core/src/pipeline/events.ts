import type { HttpAttempt, TraceStep } from '../trace/types.js';

/** `discover()` was called (once per call, cache hits and joined single-flight calls included). */
export interface DiscoveryStartedEvent {
  readonly type: 'discovery-started';
  readonly resource: string;
}

/** A strategy starts running (skipped strategies only produce `step-finished`). */
export interface StepStartedEvent {
  readonly type: 'step-started';
  readonly resource: string;
  readonly strategy: string;
}

/** A strategy step is decided: found, not found, skipped or failed. */
export interface StepFinishedEvent {
  readonly type: 'step-finished';
  readonly resource: string;
  readonly step: TraceStep;
}

/** A request goes out on the network (memo hits send nothing and emit nothing). */
export interface RequestStartedEvent {
  readonly type: 'request-started';
  readonly resource: string;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** Started by speculation rather than by a strategy. */
  readonly speculative: boolean;
  /** The strategy that asked for it; absent for speculative requests. */
  readonly strategy?: string | undefined;
}

/** A network request settled (a response, an error, or aborted). */
export interface RequestFinishedEvent {
  readonly type: 'request-finished';
  readonly resource: string;
  readonly attempt: HttpAttempt;
  readonly strategy?: string | undefined;
}

/** `discover()` is about to return or throw. */
export interface DiscoveryFinishedEvent {
  readonly type: 'discovery-finished';
  readonly resource: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly fromCache: boolean;
}

/** Progress of a discovery, for display (the CLI renders these). Every event names its resource. */
export type DiscoveryEvent =
  | DiscoveryStartedEvent
  | StepStartedEvent
  | StepFinishedEvent
  | RequestStartedEvent
  | RequestFinishedEvent
  | DiscoveryFinishedEvent;

/** A listener of {@link DiscoveryEvent}s. */
export type DiscoveryEventListener = (event: DiscoveryEvent) => void;

/**
 * Wraps a listener so that it can never break a discovery: a throwing listener is ignored.
 * Returns a no-op when there is no listener.
 */
export function safeEmitter(listener: DiscoveryEventListener | undefined): DiscoveryEventListener {
  if (listener === undefined) return () => undefined;
  return (event) => {
    try {
      listener(event);
    } catch {
      // A progress display must not change the outcome of a discovery.
    }
  };
}
