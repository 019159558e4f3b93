import { describe, expect, it } from 'vitest';
import { DiscoveryError, ErrorCodes } from '../errors.js';
import type { DiscoveryTrace, HttpAttempt } from '../trace/types.js';
import type { DiscoveryResult, HttpResponse } from '../types.js';
import { documentLifetime, hadTransientFault, missLifetime, resultLifetime } from './rules.js';

const lifetimes = { defaultMs: 300_000, maxMs: 86_400_000, missMs: 30_000 };

function traceWith(...attempts: HttpAttempt[]): DiscoveryTrace {
  return {
    resource: 'https://mcp.example/mcp',
    steps: [{ strategy: 'rfc9728', outcome: 'not-found', notes: [], attempts, durationMs: 1 }],
    unusedSpeculation: [],
    requestCount: attempts.length,
    durationMs: 1,
    startedAt: '2026-01-01T00:00:00.000Z',
    relaxations: [],
  };
}

const URL_TRIED = 'https://mcp.example/.well-known/oauth-protected-resource';

/** An attempt that got `status`, or (with no status) one that failed with `code`. */
const attempt = (status: number | undefined, code = 'NETWORK_ERROR'): HttpAttempt =>
  status === undefined
    ? {
        method: 'GET',
        url: URL_TRIED,
        durationMs: 1,
        outcome: 'error',
        error: { code: code as 'TIMEOUT', message: code },
      }
    : { method: 'GET', url: URL_TRIED, status, durationMs: 1, outcome: 'http-error' };

function response(status: number, cacheControl?: string, json: unknown = {}): HttpResponse {
  return {
    url: 'https://as.example/.well-known/oauth-authorization-server',
    status,
    headers: cacheControl === undefined ? {} : { 'cache-control': cacheControl },
    text: '',
    ...(status < 300 ? { json } : {}),
    attempt: { method: 'GET', url: 'https://as.example/', status, durationMs: 1, outcome: 'ok' },
  };
}

describe('caching rules', () => {
  it('a result lives for the smallest max-age of its responses; a guess never', () => {
    const result = { guessed: false } as DiscoveryResult;
    expect(
      resultLifetime(result, [response(200, 'max-age=60'), response(200, 'max-age=30')], lifetimes),
    ).toBe(30_000);
    expect(resultLifetime(result, [response(200)], lifetimes)).toBe(300_000);
    expect(resultLifetime(result, [response(200, 'no-store')], lifetimes)).toBeNull();
    expect(resultLifetime({ guessed: true } as DiscoveryResult, [response(200)], lifetimes)).toBeNull();
  });

  it('only a plain DISCOVERY_FAILED without a passing fault is cached as a miss', () => {
    const miss = (code: (typeof ErrorCodes)[keyof typeof ErrorCodes], trace: DiscoveryTrace) =>
      new DiscoveryError(code, 'x', { trace });
    expect(missLifetime(miss(ErrorCodes.DISCOVERY_FAILED, traceWith(attempt(404))), lifetimes)).toBe(30_000);
    expect(missLifetime(miss(ErrorCodes.DISCOVERY_FAILED, traceWith(attempt(503))), lifetimes)).toBeNull();
    expect(
      missLifetime(miss(ErrorCodes.NETWORK_ERROR, traceWith(attempt(undefined, 'NETWORK_ERROR'))), lifetimes),
    ).toBeNull();
    expect(missLifetime(miss(ErrorCodes.ISSUER_MISMATCH, traceWith(attempt(200))), lifetimes)).toBeNull();
    expect(
      missLifetime(miss(ErrorCodes.DISCOVERY_FAILED, traceWith(attempt(404))), { ...lifetimes, missMs: 0 }),
    ).toBeNull();
    expect(missLifetime(new DiscoveryError(ErrorCodes.DISCOVERY_FAILED, 'no trace'), lifetimes)).toBeNull();
  });

  it('passing faults: a timeout, no connection, a 5xx, 408, 429', () => {
    expect(hadTransientFault(traceWith(attempt(undefined, 'TIMEOUT')))).toBe(true);
    expect(hadTransientFault(traceWith(attempt(429)))).toBe(true);
    expect(hadTransientFault(traceWith(attempt(408)))).toBe(true);
    expect(hadTransientFault(traceWith(attempt(500)))).toBe(true);
    expect(hadTransientFault(traceWith(attempt(404), attempt(401)))).toBe(false);
  });

  it('shared documents: a 2xx JSON by Cache-Control, a 404/410 for missMs, nothing else', () => {
    expect(documentLifetime(response(200, 'max-age=10'), lifetimes)).toBe(10_000);
    expect(documentLifetime(response(200, 'no-cache'), lifetimes)).toBeNull();
    expect(documentLifetime({ ...response(200), json: undefined }, lifetimes)).toBeNull();
    expect(documentLifetime(response(404), lifetimes)).toBe(30_000);
    expect(documentLifetime(response(410, 'max-age=5'), lifetimes)).toBe(5_000);
    expect(documentLifetime(response(500), lifetimes)).toBeNull();
    expect(documentLifetime(response(401), lifetimes)).toBeNull();
  });
});
