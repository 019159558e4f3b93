/** Counts work in flight (tool calls, store writes) so shutdown can wait for it. */
export function createTracker() {
  const running = new Set<Promise<unknown>>();
  return {
    track<T>(work: Promise<T>): Promise<T> {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      running.add(settled);
      void settled.then(() => running.delete(settled));
      return work;
    },
    /** Resolves when everything tracked so far (and anything added meanwhile) has settled, or after `timeoutMs`. */
    async idle(timeoutMs: number): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      while (running.size > 0) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        await Promise.race([Promise.all(running), new Promise((done) => setTimeout(done, left).unref())]);
      }
      return true;
    },
  };
}

/** The tracker {@link createTracker} returns. */
export type Tracker = ReturnType<typeof createTracker>;
