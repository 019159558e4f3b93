import { DiscoveryError, ErrorCodes, isDiscoveryError } from './errors.js';

/** What {@link abortedError} says about an abort. */
export interface AbortedErrorOptions {
  /** The URL the aborted work was about (the resource, the request's URL). */
  readonly url?: string | undefined;
  /** The abort reason (`signal.reason`): kept as the error's `cause`. */
  readonly reason?: unknown;
  /** Appended to `<what> was aborted`, e.g. `by the caller` or `before GET <url>`. */
  readonly detail?: string | undefined;
}

/**
 * The `ABORTED` error, built one way everywhere: the message `<what> was aborted[ <detail>]`, the URL,
 * and the abort reason as `cause`.
 *
 * @example abortedError(`Request to ${url}`, { url, reason: signal.reason, detail: 'by the caller' })
 */
export function abortedError(what: string, options: AbortedErrorOptions = {}): DiscoveryError {
  const detail = options.detail === undefined ? '' : ` ${options.detail}`;
  return new DiscoveryError(ErrorCodes.ABORTED, `${what} was aborted${detail}`, {
    url: options.url,
    cause: options.reason,
  });
}

/** True for the errors that end a discovery because it was stopped: `ABORTED` and `DEADLINE_EXCEEDED`. */
export function isAbortError(error: unknown): error is DiscoveryError {
  return isDiscoveryError(error, ErrorCodes.ABORTED) || isDiscoveryError(error, ErrorCodes.DEADLINE_EXCEEDED);
}

/**
 * Why `signal` aborted, as a `DiscoveryError`: its reason when that already is one of the abort codes
 * (the pipeline's `ABORTED` or `DEADLINE_EXCEEDED`, which every request and strategy then rethrows as
 * is), else {@link abortedError} with the reason as `cause`.
 */
export function abortReason(
  signal: AbortSignal,
  what: string,
  options: Omit<AbortedErrorOptions, 'reason'> = {},
): DiscoveryError {
  const reason: unknown = signal.reason;
  if (isAbortError(reason)) return reason;
  return abortedError(what, { ...options, reason });
}
