/** One request waiting for (or holding) a slot. */
export interface LimitedTask {
  /** A strategy waits for it: it goes ahead of queued speculative requests. Settable while queued. */
  urgent: boolean;
  /** True once it holds a slot (the request went out). */
  readonly started: boolean;
}

/** Caps the requests one discovery has in flight; strategies' requests go first. */
export interface RequestLimiter {
  /**
   * Runs `start` once a slot is free (at once when one is). A task still queued when `signal` aborts
   * never starts: its promise rejects with `onAbort()`.
   */
  schedule<T>(
    urgent: boolean,
    start: () => Promise<T>,
    signal: AbortSignal,
    onAbort: () => unknown,
  ): { readonly task: LimitedTask; readonly promise: Promise<T> };
  /** Re-checks the queue (after a queued task became urgent). */
  pump(): void;
}

interface Queued {
  readonly task: { urgent: boolean; started: boolean };
  readonly run: () => void;
}

/** A limiter of at most `max` requests in flight (`Infinity` for none). */
export function createRequestLimiter(max: number): RequestLimiter {
  let active = 0;
  const queue: Queued[] = [];

  function pump(): void {
    while (active < max && queue.length > 0) {
      const urgent = queue.findIndex((q) => q.task.urgent);
      const [next] = queue.splice(urgent === -1 ? 0 : urgent, 1);
      next?.run();
    }
  }

  return {
    pump,
    schedule<T>(urgent: boolean, start: () => Promise<T>, signal: AbortSignal, onAbort: () => unknown) {
      const task = { urgent, started: false };
      const promise = new Promise<T>((resolve, reject) => {
        const queued: Queued = {
          task,
          run: () => {
            signal.removeEventListener('abort', drop);
            task.started = true;
            active += 1;
            start()
              .then(resolve, reject)
              .finally(() => {
                active -= 1;
                pump();
              });
          },
        };
        function drop(): void {
          const index = queue.indexOf(queued);
          if (index === -1) return;
          queue.splice(index, 1);
          reject(onAbort());
        }
        if (signal.aborted) {
          reject(onAbort());
          return;
        }
        signal.addEventListener('abort', drop, { once: true });
        queue.push(queued);
        pump();
      });
      return { task, promise };
    },
  };
}
