import { DiscoveryError, type DiscoveryTrace, ErrorCodes } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { errorJson, traceJson, traceTotalsJson } from './discovery-json.js';

const trace: DiscoveryTrace = {
  resource: 'https://mcp.example/mcp',
  steps: [
    {
      strategy: 'rfc8414',
      outcome: 'found',
      notes: [],
      durationMs: 1,
      attempts: [
        {
          method: 'GET',
          url: 'https://as.example/.well-known/oauth-authorization-server',
          status: 200,
          durationMs: 0,
          outcome: 'ok',
          cached: true,
        },
        {
          method: 'GET',
          url: 'https://as.example/.well-known/openid-configuration',
          durationMs: 5,
          outcome: 'error',
          error: { code: 'TIMEOUT', message: 'no answer' },
          speculative: true,
        },
      ],
    },
  ],
  unusedSpeculation: [],
  requestCount: 1,
  durationMs: 6,
  startedAt: '2026-01-01T00:00:00.000Z',
  relaxations: [],
};

describe('traceJson', () => {
  it('every key present: absent values are null or false, a reused document is cached: true', () => {
    expect(traceJson(trace)).toEqual([
      {
        strategy: 'rfc8414',
        outcome: 'found',
        reason: null,
        notes: [],
        durationMs: 1,
        attempts: [
          {
            method: 'GET',
            url: 'https://as.example/.well-known/oauth-authorization-server',
            status: 200,
            durationMs: 0,
            error: null,
            outcome: 'ok',
            speculative: false,
            cached: true,
          },
          {
            method: 'GET',
            url: 'https://as.example/.well-known/openid-configuration',
            status: null,
            durationMs: 5,
            error: { code: 'TIMEOUT', message: 'no answer' },
            outcome: 'error',
            speculative: true,
            cached: false,
          },
        ],
      },
    ]);
  });
});

describe('errorJson', () => {
  it('{ error: { code, message }, trace } from a DiscoveryError and its trace', () => {
    const error = new DiscoveryError(ErrorCodes.ISSUER_MISMATCH, 'foreign issuer', { trace });
    const json = errorJson(error);
    expect(json.error).toEqual({ code: 'ISSUER_MISMATCH', message: 'foreign issuer' });
    expect(json.trace).toHaveLength(1);
    expect(json.totals).toMatchObject({
      requestCount: 1,
      durationMs: 6,
      relaxations: [],
      unusedSpeculation: [],
    });
  });

  it('an error without a code: its class name (as on stderr), else ERROR; trace []', () => {
    expect(errorJson(new TypeError('boom'))).toEqual({
      error: { code: 'TypeError', message: 'boom' },
      trace: [],
      totals: null,
    });
    expect(errorJson('boom')).toEqual({ error: { code: 'ERROR', message: 'boom' }, trace: [], totals: null });
  });
});

describe('traceTotalsJson', () => {
  it('carries the request count, the duration, the relaxations and the unused speculation', () => {
    const withSpeculation: DiscoveryTrace = {
      ...trace,
      requestCount: 4,
      relaxations: ['allowPrivateNetwork'],
      unusedSpeculation: [
        {
          method: 'GET',
          url: 'https://mcp.example/.well-known/oauth-protected-resource',
          status: 404,
          durationMs: 3,
          outcome: 'http-error',
          speculative: true,
        },
      ],
    };
    expect(traceTotalsJson(withSpeculation)).toEqual({
      requestCount: 4,
      durationMs: 6,
      relaxations: ['allowPrivateNetwork'],
      unusedSpeculation: [
        {
          method: 'GET',
          url: 'https://mcp.example/.well-known/oauth-protected-resource',
          status: 404,
          durationMs: 3,
          error: null,
          outcome: 'http-error',
          speculative: true,
          cached: false,
        },
      ],
    });
    expect(traceTotalsJson(undefined)).toBeNull();
  });
});
