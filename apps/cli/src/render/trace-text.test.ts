import type { DiscoveryTrace, HttpAttempt, TraceStep } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { painter } from './color.js';
import { formatTraceText, nothingPublished, traceSummaryLines } from './trace-text.js';

const ORIGIN = 'http://127.0.0.1:9';
const ATLASSIAN_SKIP =
  'resource http://127.0.0.1:9/mcp is none of the Atlassian endpoints this preset knows (https://mcp.atlassian.com/v1/mcp/authv2, https://mcp.atlassian.com/v2/mcp, https://mcp.atlassian.com/v1/mcp, https://mcp.atlassian.com/v1/sse)';

function step(strategy: string, outcome: TraceStep['outcome'], extra: Partial<TraceStep> = {}): TraceStep {
  return { strategy, outcome, notes: [], attempts: [], durationMs: 1, ...extra };
}

function refused(method: 'GET' | 'POST', path: string): HttpAttempt {
  const url = `${ORIGIN}${path}`;
  return {
    method,
    url,
    durationMs: 1,
    outcome: 'error',
    error: {
      code: 'NETWORK_ERROR',
      message: `Request to ${url} failed: connection refused (connect ECONNREFUSED)`,
    },
  };
}

function miss(path: string, status = 404): HttpAttempt {
  return { method: 'GET', url: `${ORIGIN}${path}`, status, durationMs: 1, outcome: 'http-error' };
}

const presets: TraceStep[] = [
  step('preset:atlassian', 'skipped', { reason: ATLASSIAN_SKIP }),
  step('preset:microsoft-entra', 'found', {
    notes: [
      'applies to Microsoft Entra ID issuers (issuers https://login.microsoftonline.com/…), whatever the resource',
    ],
  }),
  step('preset:github', 'skipped', {
    reason: 'resource is none of the GitHub endpoints this preset knows (…)',
  }),
];

function trace(steps: TraceStep[]): DiscoveryTrace {
  return {
    resource: `${ORIGIN}/mcp`,
    steps,
    unusedSpeculation: [],
    requestCount: steps.reduce((n, s) => n + s.attempts.length, 0),
    durationMs: 5,
    startedAt: '2026-12-01T00:00:00.000Z',
    relaxations: [],
  };
}

const prm = [
  miss('/.well-known/oauth-protected-resource/mcp'),
  miss('/.well-known/oauth-protected-resource'),
];
const found = trace([
  ...presets,
  step('rfc9728', 'not-found', {
    reason: prm.map((a) => `GET ${a.url} → 404`).join('; '),
    attempts: prm,
  }),
  step('rfc8414', 'found', {
    attempts: [{ ...miss('/.well-known/oauth-authorization-server', 200), outcome: 'ok' }],
  }),
  step('oidc', 'skipped', { reason: 'authorization server already known from rfc8414' }),
  step('legacy-defaults', 'skipped', { reason: 'authorization server already known from rfc8414' }),
]);

describe('formatTraceText (the trace table of discover and check)', () => {
  const text = formatTraceText(found, { color: false, verbose: false, paint: painter(false) });

  it('folds the presets that do not apply into one line after the steps', () => {
    expect(text).not.toContain('preset:');
    expect(text).not.toContain('mcp.atlassian.com');
    const lines = text.split('\n');
    const fold = lines.findIndex((line) =>
      line.includes('3 presets not for this resource (--verbose shows each)'),
    );
    expect(fold).toBeGreaterThan(lines.findIndex((line) => line.includes('rfc8414')));
    expect(lines[fold + 1]).toMatch(/^Total:/);
  });

  it('prints each URL of a step once, and skipped steps with one reason on one line', () => {
    for (const attempt of prm) expect(text.split(`${attempt.url} →`).length - 1).toBe(1);
    expect(text).toContain(
      '- skipped   oidc, legacy-defaults — authorization server already known from rfc8414',
    );
  });

  it('--verbose: every step as core prints it', () => {
    const verbose = formatTraceText(found, { color: false, verbose: true, paint: painter(false) });
    expect(verbose).toContain(ATLASSIAN_SKIP);
    expect(verbose).toContain('preset:microsoft-entra');
  });

  it('shows a preset that applies to the resource', () => {
    const atlassian = trace([
      step('preset:atlassian', 'found', {
        notes: ['resource http://127.0.0.1:9/mcp is a Atlassian v1 endpoint'],
      }),
      ...presets.slice(1),
    ]);
    const shown = formatTraceText(atlassian, { color: false, verbose: false, paint: painter(false) });
    expect(shown).toContain('found     preset:atlassian');
    expect(shown).toContain('2 presets not for this resource');
  });
});

describe('traceSummaryLines (what was tried, under an error)', () => {
  const probe = refused('POST', '/mcp');
  const prmRefused = [
    refused('GET', '/.well-known/oauth-protected-resource/mcp'),
    refused('GET', '/.well-known/oauth-protected-resource'),
  ];
  const dead = trace([
    ...presets,
    step('www-authenticate', 'not-found', {
      reason: `probe POST ${probe.url} failed: NETWORK_ERROR: ${probe.error?.message}`,
      attempts: [probe],
    }),
    step('rfc9728', 'not-found', {
      reason: prmRefused.map((a) => `GET ${a.url} → NETWORK_ERROR`).join('; '),
      attempts: prmRefused,
    }),
    step('legacy-defaults', 'failed', {
      errorCode: 'NETWORK_ERROR',
      reason: `refusing to guess endpoints at ${ORIGIN}: ${probe.error?.message}`,
    }),
  ]);
  const headline = `${probe.error?.message} (www-authenticate). No authorization server found for ${ORIGIN}/mcp`;
  const lines = traceSummaryLines(dead, [headline]);
  const text = lines.join('\n');

  it('prints a network error once: the same refusal on other URLs of the origin is only its code', () => {
    expect(`${headline}\n${text}`.match(/connection refused/g)).toHaveLength(1);
    expect(lines[0]).toBe(`www-authenticate: POST ${probe.url} → NETWORK_ERROR (probe)`);
    expect(lines[1]).toBe(
      `rfc9728: GET ${prmRefused[0]?.url} → NETWORK_ERROR; GET ${prmRefused[1]?.url} → NETWORK_ERROR`,
    );
    expect(lines[2]).toBe(
      `legacy-defaults: NETWORK_ERROR: refusing to guess endpoints at ${ORIGIN}, as above`,
    );
  });

  it('another error on another URL: its message once, without repeating the URL', () => {
    const other: HttpAttempt = {
      ...refused('GET', '/.well-known/openid-configuration'),
      error: {
        code: 'TIMEOUT',
        message: `Request to ${ORIGIN}/.well-known/openid-configuration failed: headers timeout`,
      },
    };
    const [line] = traceSummaryLines(trace([step('oidc', 'not-found', { attempts: [other] })]), [headline]);
    expect(line).toBe(`oidc: GET ${other.url} → TIMEOUT: headers timeout`);
  });

  it('folds the idle presets into the last line', () => {
    expect(text).not.toContain('preset:');
    expect(lines.at(-1)).toBe('presets: 3 not for this resource (--verbose shows each)');
  });
});

describe('nothingPublished (why a DISCOVERY_FAILED found nothing)', () => {
  it('every answer a definitive miss: says so, with the statuses', () => {
    expect(nothingPublished(found)).toBeUndefined();
    const nothing = trace([step('rfc9728', 'not-found', { attempts: [...prm, miss('/mcp', 401)] })]);
    expect(nothingPublished(nothing)).toBe('nothing is published: all 3 requests answered 401 or 404');
  });

  it('a failed request: not "nothing published"', () => {
    expect(
      nothingPublished(trace([step('rfc9728', 'not-found', { attempts: [refused('GET', '/x')] })])),
    ).toBeUndefined();
  });
});
