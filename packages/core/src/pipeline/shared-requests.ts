import { abortReason } from '../abort.js';
import { type Flight, startFlight } from './flight.js';

/**
 * How one discovery waits for a shared request, and the two ways it can stop waiting. The store
 * needs no tag on an abort reason to tell them apart: each has its own signal.
 */
export interface Waiter {
  /**
   * The discovery's signal (the caller's abort, the deadline): when every waiter left this way, or
   * the last one did, nobody wants the answer and the request is aborted.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Aborts when the discovery ended and no longer needs the request (a speculative leftover): when
   * the last waiter leaves this way, the request runs to its end and keeps what it brings for later
   * discoveries (it is detached).
   */
  readonly ended?: AbortSignal | undefined;
}

/** Requests in flight, shared by the discoveries that ask for the same key at the same time. */
export interface SharedRequests<T> {
  /**
   * Joins the request in flight for `key`, or starts it with `work` (whose signal aborts when
   * nobody waits any more, see {@link Waiter}). A waiter that leaves while others still wait is
   * rejected at once with its own abort reason; the request goes on for the others.
   */
  run(
    key: string,
    url: string,
    work: (signal: AbortSignal) => Promise<T>,
    waiter: Waiter,
  ): { readonly joined: boolean; readonly promise: Promise<T> };
  /**
   * Aborts with `reason` every detached request (nobody waits for it) and, from now on, aborts a
   * request whose last waiter leaves in any way — for `pipeline.close()`, which must neither wait for
   * them nor leave their sockets open.
   */
  close(reason: unknown): void;
  /** Requests in flight (detached ones included). */
  readonly size: number;
}

/** Creates {@link SharedRequests}. */
export function createSharedRequests<T>(): SharedRequests<T> {
  const flights = new Map<string, Flight<T>>();
  let closed = false;

  const start = (key: string, work: (signal: AbortSignal) => Promise<T>): Flight<T> =>
    startFlight(flights, key, work);

  function stop(key: string, flight: Flight<T>, reason: unknown): void {
    if (flights.get(key) === flight) flights.delete(key);
    flight.controller.abort(reason);
  }

  return {
    get size() {
      return flights.size;
    },
    close(reason) {
      closed = true;
      for (const [key, flight] of [...flights]) if (flight.waiters === 0) stop(key, flight, reason);
    },
    run(key, url, work, waiter) {
      const what = `Request to ${url}`;
      const gone = [waiter.signal, waiter.ended].find((signal) => signal?.aborted === true);
      if (gone !== undefined)
        return { joined: false, promise: Promise.reject(abortReason(gone, what, { url })) };
      const known = flights.get(key);
      const flight = known ?? start(key, work);
      flight.waiters += 1;
      const promise = new Promise<T>((resolve, reject) => {
        const leave = (signal: AbortSignal, detach: boolean) => (): void => {
          release();
          flight.waiters -= 1;
          if (flight.waiters > 0 || (detach && !closed)) {
            reject(abortReason(signal, what, { url }));
            return;
          }
          // The last waiter left and nobody wants the answer: stop the request; this waiter gets its
          // own rejection (the client's error, with the aborted attempt).
          stop(key, flight, signal.reason);
        };
        const onAbort = waiter.signal === undefined ? undefined : leave(waiter.signal, false);
        const onEnd = waiter.ended === undefined ? undefined : leave(waiter.ended, true);
        const release = (): void => {
          if (onAbort !== undefined) waiter.signal?.removeEventListener('abort', onAbort);
          if (onEnd !== undefined) waiter.ended?.removeEventListener('abort', onEnd);
        };
        if (onAbort !== undefined) waiter.signal?.addEventListener('abort', onAbort, { once: true });
        if (onEnd !== undefined) waiter.ended?.addEventListener('abort', onEnd, { once: true });
        flight.promise.then(
          (value) => {
            release();
            resolve(value);
          },
          (error: unknown) => {
            release();
            reject(error);
          },
        );
      });
      return { joined: known !== undefined, promise };
    },
  };
}
