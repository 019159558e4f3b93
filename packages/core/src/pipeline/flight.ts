/** One piece of work in flight under a key, and how many callers wait for it. */
export interface Flight<T> {
  readonly controller: AbortController;
  readonly promise: Promise<T>;
  waiters: number;
}

/**
 * Starts `work` under `key` in `flights`, with an abort controller of its own; the entry is removed
 * when the work settles (unless a newer flight took the key). A rejection nobody waits for any more is
 * handled, never reported as unhandled.
 */
export function startFlight<T>(
  flights: Map<string, Flight<T>>,
  key: string,
  work: (signal: AbortSignal) => Promise<T>,
): Flight<T> {
  const controller = new AbortController();
  const promise = Promise.resolve()
    .then(() => work(controller.signal))
    .finally(() => {
      if (flights.get(key) === flight) flights.delete(key);
    });
  promise.catch(() => undefined);
  const flight: Flight<T> = { controller, promise, waiters: 0 };
  flights.set(key, flight);
  return flight;
}
