import { describe, expect, it } from 'vitest';
import { formatTrace, summarizeTrace } from './format.js';
import { createTraceRecorder } from './recorder.js';
import type { DiscoveryTrace } from './types.js';

function sampleTrace(): DiscoveryTrace {
  const recorder = createTraceRecorder('https://mcp.example/v1/mcp');
  recorder.addRelaxation('allowPrivateNetwork');
  const prm = recorder.startStep('rfc9728');
  prm.addAttempt({
    method: 'GET',
    url: 'https://mcp.example/.well-known/oauth-protected-resource/v1/mcp',
    status: 404,
    durationMs: 12,
    outcome: 'http-error',
  });
  prm.addAttempt({
    method: 'GET',
    url: 'https://mcp.example/.well-known/oauth-protected-resource',
    status: 404,
    durationMs: 9,
    outcome: 'http-error',
    speculative: true,
  });
  prm.finish({ outcome: 'not-found', reason: 'no protected resource metadata' });
  const blocked = recorder.startStep('rfc8414');
  blocked.addAttempt({
    method: 'GET',
    url: 'https://internal.example/.well-known/oauth-authorization-server',
    durationMs: 3,
    outcome: 'error',
    error: { code: 'BLOCKED_ADDRESS', message: 'internal.example resolved to 10.0.0.1' },
  });
  blocked.note('tried the resource origin (legacy fallback)');
  blocked.finish({ outcome: 'failed', reason: 'blocked', errorCode: 'BLOCKED_ADDRESS' });
  recorder.skipStep('oidc', 'authorization server already known from rfc8414');
  recorder.addUnusedSpeculation({
    method: 'GET',
    url: 'https://mcp.example/.well-known/openid-configuration',
    durationMs: 5,
    outcome: 'aborted',
    speculative: true,
  });
  recorder.countRequest();
  recorder.countRequest();
  recorder.countRequest();
  return recorder.snapshot();
}

describe('formatTrace', () => {
  it('shows every step, attempt (URL and status or error), note, unused speculation and totals', () => {
    const text = formatTrace(sampleTrace());
    expect(text).not.toContain('\u001b[');
    expect(text).toContain('Discovery of https://mcp.example/v1/mcp');
    expect(text).toContain('Relaxations in effect: allowPrivateNetwork');
    expect(text).toContain('not-found rfc9728');
    expect(text).toContain('— no protected resource metadata');
    expect(text).toContain(
      'GET https://mcp.example/.well-known/oauth-protected-resource/v1/mcp → 404 (12 ms)',
    );
    expect(text).toContain(
      'GET https://mcp.example/.well-known/oauth-protected-resource → 404 (9 ms) [speculative]',
    );
    expect(text).toContain('→ BLOCKED_ADDRESS: internal.example resolved to 10.0.0.1 (3 ms)');
    expect(text).toContain('note: tried the resource origin (legacy fallback)');
    expect(text).toContain('skipped   oidc — authorization server already known from rfc8414');
    expect(text).toMatch(
      /Unused speculation:\n\s+GET https:\/\/mcp\.example\/\.well-known\/openid-configuration → aborted \(5 ms\) \[speculative\]/,
    );
    expect(text).toMatch(/Total: \d+ ms, 3 requests$/);
  });

  it('uses ANSI colours only when asked: green found, yellow not-found, dim skipped, red failed', () => {
    const recorder = createTraceRecorder('https://mcp.example/');
    recorder.startStep('a').finish({ outcome: 'found' });
    const text = formatTrace(sampleTrace(), { color: true });
    expect(text).toContain('\u001b[33m✘ not-found');
    expect(text).toContain('\u001b[31m! failed');
    expect(text).toContain('\u001b[2m- skipped');
    expect(formatTrace(recorder.snapshot(), { color: true })).toContain('\u001b[32m✔ found');
  });

  it('says when no step ran', () => {
    expect(formatTrace(createTraceRecorder('https://mcp.example/').snapshot())).toContain('(no step ran)');
  });
});

describe('attempt results', () => {
  it('shows the error next to the status of a response that was refused (a 200 that is not JSON)', () => {
    const recorder = createTraceRecorder('https://mcp.example/mcp');
    const step = recorder.startStep('rfc8414');
    const url = 'https://as.example/.well-known/oauth-authorization-server';
    step.addAttempt({
      method: 'GET',
      url,
      status: 200,
      durationMs: 4,
      outcome: 'error',
      error: { code: 'UNEXPECTED_CONTENT_TYPE', message: 'content type "text/html"' },
    });
    step.finish({ outcome: 'not-found', reason: 'nothing usable' });
    const trace = recorder.snapshot();
    expect(formatTrace(trace)).toContain(
      `GET ${url} → 200 UNEXPECTED_CONTENT_TYPE: content type "text/html" (4 ms)`,
    );
    expect(summarizeTrace(trace)).toBe(
      `rfc8414: GET ${url} → 200 UNEXPECTED_CONTENT_TYPE: content type "text/html" (nothing usable)`,
    );
  });
});

describe('summarizeTrace', () => {
  it('lets a reason that names every URL tried stand alone, so no URL is listed twice', () => {
    const recorder = createTraceRecorder('https://mcp.example/mcp');
    const step = recorder.startStep('oidc');
    const urls = [
      'https://as.example/.well-known/openid-configuration/t',
      'https://as.example/t/.well-known/openid-configuration',
    ];
    for (const url of urls) {
      step.addAttempt({ method: 'GET', url, status: 404, durationMs: 1, outcome: 'http-error' });
    }
    step.finish({ outcome: 'not-found', reason: urls.map((url) => `GET ${url} → 404`).join('; ') });
    expect(summarizeTrace(recorder.snapshot())).toBe(`oidc: GET ${urls[0]} → 404; GET ${urls[1]} → 404`);
  });

  it('gives one line per step with the attempts and the reason', () => {
    expect(summarizeTrace(sampleTrace()).split('\n')).toEqual([
      'rfc9728: GET https://mcp.example/.well-known/oauth-protected-resource/v1/mcp → 404, GET https://mcp.example/.well-known/oauth-protected-resource → 404 (no protected resource metadata)',
      'rfc8414: GET https://internal.example/.well-known/oauth-authorization-server → BLOCKED_ADDRESS: internal.example resolved to 10.0.0.1 (BLOCKED_ADDRESS: blocked)',
      'oidc: skipped (authorization server already known from rfc8414)',
    ]);
  });
});
