import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import type { DeleteOptions, SetOptions } from './types.js';

/** Longest key accepted, in UTF-16 code units: keys name records, they do not hold data. */
export const MAX_KEY_LENGTH = 1024;

function invalid(message: string, expected: string, actual: unknown): DiscoveryError {
  return new DiscoveryError(ErrorCodes.INVALID_CONFIG, message, { expected, actual });
}

/**
 * Checks a record or lock key: a non-empty string of at most {@link MAX_KEY_LENGTH} characters
 * without NUL. Every driver calls it first, so a bad key fails the same way everywhere.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG`.
 */
export function assertKey(key: unknown, what = 'key'): asserts key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH || key.includes('\0')) {
    throw invalid(
      `store: ${what} must be a non-empty string of at most ${MAX_KEY_LENGTH} characters without NUL`,
      'a non-empty string',
      typeof key === 'string' ? `${key.length} characters` : typeof key,
    );
  }
}

/** Checks a `list` prefix: a string (empty lists every key). @throws {DiscoveryError} `INVALID_CONFIG`. */
export function assertPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string' || prefix.length > MAX_KEY_LENGTH || prefix.includes('\0')) {
    throw invalid('store: a list prefix must be a string without NUL', 'a string', typeof prefix);
  }
}

/** Checks a duration in milliseconds (`leaseMs`, `ttlMs`): a positive safe integer. @throws {DiscoveryError} `INVALID_CONFIG`. */
export function assertPositiveMs(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalid(`store: ${what} must be a positive integer of milliseconds`, 'a positive integer', value);
  }
}

/** Checks a wait in milliseconds (`waitMs`): a non-negative safe integer. @throws {DiscoveryError} `INVALID_CONFIG`. */
export function assertWaitMs(value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid('store: waitMs must be a non-negative integer of milliseconds', 'an integer ≥ 0', value);
  }
}

/** Checks a record value: a string. @throws {DiscoveryError} `INVALID_CONFIG`. */
export function assertValue(value: unknown): asserts value is string {
  if (typeof value !== 'string') {
    throw invalid(
      'store: a value must be a string (serialise objects with JSON.stringify)',
      'a string',
      typeof value,
    );
  }
}

/** Checks the options of `set`. @throws {DiscoveryError} `INVALID_CONFIG`. */
export function assertSetOptions(options: SetOptions): void {
  const { ifVersion, ttlMs } = options;
  if (ifVersion !== undefined && ifVersion !== null && (typeof ifVersion !== 'string' || ifVersion === '')) {
    throw invalid(
      'store: ifVersion must be a version string, null (create only) or undefined',
      'a version',
      ifVersion,
    );
  }
  if (ttlMs !== undefined) assertPositiveMs(ttlMs, 'ttlMs');
}

/** Checks the options of `delete`. @throws {DiscoveryError} `INVALID_CONFIG`. */
export function assertDeleteOptions(options: DeleteOptions): void {
  const { ifVersion } = options;
  if (ifVersion !== undefined && (typeof ifVersion !== 'string' || ifVersion === '')) {
    throw invalid('store: ifVersion of delete must be a version string or undefined', 'a version', ifVersion);
  }
}

/**
 * Wraps a backend failure as `STORE_UNAVAILABLE` with the original error as `cause`; a
 * `DiscoveryError` passes through unchanged.
 */
export function unavailable(error: unknown, what: string): DiscoveryError {
  if (error instanceof DiscoveryError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new DiscoveryError(ErrorCodes.STORE_UNAVAILABLE, `store: ${what} failed: ${reason}`, {
    cause: error,
  });
}
