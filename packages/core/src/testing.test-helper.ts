import { expect } from 'vitest';
import { DiscoveryError, type ErrorCode } from './errors.js';
import type { HttpResponse } from './types.js';

/**
 * The `DiscoveryError` a promise rejects with; fails the test when it resolves or rejects with
 * anything else. With `code`, the code is asserted too.
 */
export async function rejection(promise: Promise<unknown>, code?: ErrorCode): Promise<DiscoveryError> {
  const error = await promise.then(
    () => new Error(`expected ${code ?? 'a DiscoveryError'}, the promise resolved`),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DiscoveryError);
  if (code !== undefined) expect((error as DiscoveryError).code).toBe(code);
  return error as DiscoveryError;
}

/** The `DiscoveryError` `run` throws, its code asserted; fails the test when nothing is thrown. */
export function thrown(run: () => unknown, code: ErrorCode): DiscoveryError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as DiscoveryError).code).toBe(code);
    return error as DiscoveryError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

/** Our own `HttpResponse` interface as plain data (not a fetch `Response`), for the `process…` functions. */
export function jsonResponse(url: string, status: number, json: unknown): HttpResponse {
  const ok = status >= 200 && status < 300;
  return {
    url,
    status,
    headers: { 'content-type': 'application/json' },
    text: json === undefined ? '' : JSON.stringify(json),
    ...(ok && json !== undefined ? { json } : {}),
    attempt: { method: 'GET', url, status, durationMs: 1, outcome: ok ? 'ok' : 'http-error' },
  };
}
