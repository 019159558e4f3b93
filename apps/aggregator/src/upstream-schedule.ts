import type { AggregatorConfig } from './config.js';
import { backoffDelay } from './limit.js';
import { createTimers } from './timers.js';

/** What an upstream's timers need. */
export interface UpstreamScheduleDeps {
  readonly timing: AggregatorConfig['reconnect'];
  /** The clock token expiry is measured with. */
  readonly now: () => number;
}

/**
 * The timers of one upstream's life — the retry with exponential backoff, the health ping, the token
 * refresh — apart from its decisions: each timer reports what happened to a callback of `upstream.ts`,
 * which decides the next state. A timer fires only while `current()` holds (the connection attempt that
 * set it is still the live one); `clear` cancels every pending timer, `stop` for good.
 */
export function createUpstreamSchedule(deps: UpstreamScheduleDeps) {
  const timers = createTimers();
  return {
    /**
     * Runs `task` after the backoff delay of retry number `attempt` (starting at 0); returns the ISO
     * time it runs, for `retryAt`.
     */
    retry(attempt: number, current: () => boolean, task: () => void): string {
      const delay = backoffDelay(attempt, deps.timing.initialDelayMs, deps.timing.maxDelayMs);
      timers.later(delay, () => {
        if (current()) task();
      });
      return new Date(Date.now() + delay).toISOString();
    },
    /** Pings every `healthIntervalMs` while `current()`; `onDown` with the first ping that fails. */
    health(current: () => boolean, ping: () => Promise<void>, onDown: (error: unknown) => void): void {
      const next = (): void =>
        timers.later(deps.timing.healthIntervalMs, () => {
          if (!current()) return;
          ping().then(
            () => next(),
            (error: unknown) => {
              if (current()) onDown(error);
            },
          );
        });
      next();
    },
    /**
     * Refreshes the access token when `dueAt()` says (an epoch time in ms; `undefined`: nothing to
     * refresh), then again for the new token, while `current()`; `onError` with a refresh that failed.
     */
    async refresh(
      current: () => boolean,
      dueAt: () => Promise<number | undefined>,
      refresh: () => Promise<unknown>,
      onError: (error: unknown) => void,
    ): Promise<void> {
      const next = async (): Promise<void> => {
        const due = await dueAt();
        if (due === undefined) return;
        timers.later(Math.max(0, due - deps.now()), () => {
          if (!current()) return;
          refresh()
            .then(() => next())
            .catch((error: unknown) => {
              if (current()) onError(error);
            });
        });
      };
      await next();
    },
    /** Cancels every pending timer. */
    clear: timers.clear,
    /** Cancels every pending timer and refuses new ones. */
    stop: timers.stop,
  };
}
