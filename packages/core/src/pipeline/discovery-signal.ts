import { abortReason } from '../abort.js';
import { DiscoveryError, ErrorCodes } from '../errors.js';

/** The signal of one discovery and how to release its timer and listener. */
export interface DiscoverySignal {
  /** Aborts with a `DiscoveryError` reason: `ABORTED` (caller) or `DEADLINE_EXCEEDED` (deadline). */
  readonly signal: AbortSignal;
  /** Clears the deadline timer and detaches from the caller's signal. */
  dispose(): void;
}

/**
 * Combines the caller's signal and the overall deadline into one signal whose reason is always a
 * {@link DiscoveryError}, so that the HTTP layer rethrows it as is and the runner can stop at once.
 */
export function createDiscoverySignal(
  resource: string,
  callerSignal: AbortSignal | undefined,
  deadlineMs: number,
): DiscoverySignal {
  const controller = new AbortController();
  const onCallerAbort = (): void => {
    if (callerSignal === undefined) return;
    controller.abort(
      abortReason(callerSignal, `Discovery of ${resource}`, { url: resource, detail: 'by the caller' }),
    );
  };
  if (callerSignal?.aborted === true) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const timer = setTimeout(() => {
    controller.abort(
      new DiscoveryError(
        ErrorCodes.DEADLINE_EXCEEDED,
        `Discovery of ${resource} did not finish within its deadline of ${deadlineMs} ms`,
        { url: resource, expected: `at most ${deadlineMs} ms` },
      ),
    );
  }, deadlineMs);
  timer.unref?.();
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/**
 * Settles like `promise`, or rejects with `abortError()` as soon as `signal` aborts — so a strategy
 * (or a request) that ignores the signal cannot hold a discovery past its deadline. A promise that
 * loses the race has its rejection swallowed.
 */
export function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  abortError: () => DiscoveryError,
): Promise<T> {
  promise.catch(() => undefined);
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
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
}
