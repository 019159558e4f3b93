import { type DiscoveryTrace, isDiscoveryError } from '@oauth-discovery/core';
import type { Logger } from './log.js';
import { toUpstreamError, type UpstreamError } from './upstream-error.js';

/**
 * Where an upstream is: `discovering` its authorization server, `auth_required` (a person must run
 * `auth_login`), `connecting`, `connected` (its tools are listed), or `failed` (with the error code, the
 * discovery trace when discovery failed, and when it retries).
 */
export type UpstreamState = 'discovering' | 'auth_required' | 'connecting' | 'connected' | 'failed';

/**
 * The state machine: which states may follow each (a state may be re-entered, e.g. a retry that fails
 * again). `discovering` only comes before the authorization server is known; once known, it stays known.
 * docs/aggregator.md "Upstream states" is the same table in words.
 */
export const TRANSITIONS = {
  discovering: ['discovering', 'auth_required', 'connecting', 'failed'],
  auth_required: ['auth_required', 'connecting', 'failed'],
  connecting: ['connecting', 'connected', 'auth_required', 'failed'],
  connected: ['connecting', 'auth_required', 'failed'],
  failed: ['failed', 'discovering', 'auth_required', 'connecting'],
} as const satisfies Readonly<Record<UpstreamState, readonly UpstreamState[]>>;

/** True when the table allows `from` → `to`. */
export function canTransition(from: UpstreamState, to: UpstreamState): boolean {
  return (TRANSITIONS[from] as readonly UpstreamState[]).includes(to);
}

/**
 * The state of one upstream and what came with it: entering a state checks {@link TRANSITIONS} (a
 * transition outside it is a bug, logged as `invalid-transition`), records since when and why (the
 * error, the discovery trace of a failed discovery, `retryAt` while failed) and logs `upstream-state`.
 * It decides nothing: `upstream.ts` says which state comes next.
 */
export function createUpstreamState(name: string, initial: UpstreamState, log: Logger) {
  let state = initial;
  let since = new Date().toISOString();
  let error: UpstreamError | undefined;
  let trace: DiscoveryTrace | undefined;
  let retryAt: string | undefined;
  return {
    get current(): UpstreamState {
      return state;
    },
    /** The facts `describeStatus` shows. */
    get facts() {
      return { state, since, error, trace, retryAt };
    },
    /** Enters `next`, with the error that caused it and, for `failed`, the time of the next retry. */
    enter(next: UpstreamState, cause?: unknown, nextRetryAt?: string): void {
      if (!canTransition(state, next))
        log({
          level: 'error',
          event: 'invalid-transition',
          upstream: name,
          from: state,
          to: next,
          message: `invalid transition of upstream ${name}: ${state} -> ${next} (a bug: see TRANSITIONS)`,
        });
      if (next !== state) since = new Date().toISOString();
      state = next;
      error = cause === undefined ? undefined : toUpstreamError(cause);
      trace = isDiscoveryError(cause) ? cause.trace : undefined;
      retryAt = next === 'failed' ? nextRetryAt : undefined;
      log({
        level: next === 'failed' ? 'warn' : 'info',
        event: 'upstream-state',
        upstream: name,
        state: next,
        error,
        retryAt,
        message: `upstream ${name}: ${next}${error ? ` (${error.code})` : ''}`,
      });
    },
  };
}
