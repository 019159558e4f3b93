import { abortedError } from '../abort.js';
import type { DiscoveryError } from '../errors.js';
import { type Flight, startFlight } from './flight.js';

/** Shares one in-flight promise between concurrent calls with the same key. */
export interface SingleFlight<T> {
  /**
   * Joins the flight for `key`, or starts it with `work`. `work` gets a signal that aborts only when
   * every caller that joined with a signal has aborted and no caller without one is waiting.
   *
   * A caller whose `signal` aborts while others still wait is rejected at once with `ABORTED`; the
   * shared work goes on for the others. The last caller to leave aborts the work and gets the work's
   * own rejection (the pipeline's `ABORTED` error with the trace so far).
   */
  run(key: string, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** True while a flight for `key` is in progress (a `run` now would join it). */
  has(key: string): boolean;
  /** Flights in progress. */
  readonly size: number;
}

function leaving(key: string, reason: unknown): DiscoveryError {
  const what = key.split('\n')[0] ?? key;
  return abortedError(`discover(${what})`, {
    url: what,
    reason,
    detail: 'by the caller; the shared discovery goes on for the other callers',
  });
}

/**
 * Creates a {@link SingleFlight}: concurrent `discover()` calls for one cache key share one
 * discovery. (Concurrent discoveries share one request for the same document through the document
 * store's own shared requests.)
 */
export function createSingleFlight<T>(): SingleFlight<T> {
  const flights = new Map<string, Flight<T>>();

  const start = (key: string, work: (signal: AbortSignal) => Promise<T>): Flight<T> =>
    startFlight(flights, key, work);

  return {
    get size() {
      return flights.size;
    },
    has(key) {
      return flights.has(key);
    },
    run(key, work, signal) {
      if (signal?.aborted === true) return Promise.reject(leaving(key, signal.reason));
      const flight = flights.get(key) ?? start(key, work);
      flight.waiters += 1;
      if (signal === undefined) return flight.promise;
      return new Promise<T>((resolve, reject) => {
        const onAbort = (): void => {
          flight.waiters -= 1;
          if (flight.waiters > 0) {
            reject(leaving(key, signal.reason));
            return;
          }
          // The last waiter left: nobody wants the result, stop the work and let new callers start afresh.
          if (flights.get(key) === flight) flights.delete(key);
          flight.controller.abort(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        flight.promise.then(
          (value) => {
            signal.removeEventListener('abort', onAbort);
            resolve(value);
          },
          (error: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(error);
          },
        );
      });
    },
  };
}
