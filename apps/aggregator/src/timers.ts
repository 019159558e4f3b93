/** setTimeout's limit: a longer delay would fire at once. */
const MAX_DELAY_MS = 2_147_483_647;

/**
 * The timers of one upstream (retries, health pings, refreshes), kept apart from its decisions: each
 * task runs once unless cleared, none keeps the process alive, and `stop` clears them for good.
 */
export function createTimers() {
  const pending = new Set<NodeJS.Timeout>();
  let stopped = false;
  const clear = (): void => {
    for (const timer of pending) clearTimeout(timer);
    pending.clear();
  };
  return {
    /** Runs `task` after `ms` (capped at setTimeout's limit), unless cleared or stopped first. */
    later(ms: number, task: () => void): void {
      if (stopped) return;
      const timer = setTimeout(
        () => {
          pending.delete(timer);
          if (!stopped) task();
        },
        Math.min(Math.max(0, ms), MAX_DELAY_MS),
      );
      timer.unref();
      pending.add(timer);
    },
    /** Cancels every pending task. */
    clear,
    /** Cancels every pending task and refuses new ones. */
    stop(): void {
      stopped = true;
      clear();
    },
  };
}
