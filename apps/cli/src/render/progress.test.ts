import type { DiscoveryResult, TraceStep } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { painter } from './color.js';
import { createProgress, progressFor } from './progress.js';

const step: TraceStep = {
  strategy: 'rfc9728',
  outcome: 'not-found',
  reason: 'both 404',
  notes: [],
  attempts: [],
  durationMs: 3,
};

function stream(isTTY: boolean, columns?: number) {
  let text = '';
  return { isTTY, columns, write: (chunk: string) => (text += chunk), text: () => text };
}

const request = {
  type: 'request-started',
  resource: 'r',
  method: 'GET',
  url: 'http://x/a',
  speculative: false,
  strategy: 'rfc9728',
} as const;

describe('createProgress', () => {
  it('on a TTY: discovery is one live line, replaced as it goes and cleared at the end — no step is kept', () => {
    const out = stream(true);
    const progress = createProgress(out, painter(false));
    progress.discovery(request);
    expect(out.text()).toBe('discovering: rfc9728 GET http://x/a');
    progress.discovery({ type: 'step-finished', resource: 'r', step });
    expect(out.text()).toBe('discovering: rfc9728 GET http://x/a\r\u001b[Kdiscovering: ✘ rfc9728 not-found');
    progress.discovery({ type: 'step-started', resource: 'r', strategy: 'rfc8414' });
    progress.done();
    expect(out.text().endsWith('discovering: rfc8414 …\r\u001b[K')).toBe(true);
    expect(out.text()).not.toContain('\n');
  });

  it('on a TTY: an authorization milestone replaces the live line and is kept', () => {
    const out = stream(true);
    const progress = createProgress(out, painter(false));
    progress.discovery(request);
    progress.auth({ type: 'step-up', scope: 'a b', count: 1, limit: 3 });
    progress.done();
    expect(out.text()).toBe(
      'discovering: rfc9728 GET http://x/a\r\u001b[Kstep-up 1/3: authorizing again for scope a b\n',
    );
  });

  it('the live line is cut to the terminal width, so that it never wraps', () => {
    const out = stream(true, 30);
    createProgress(out, painter(false)).discovery({ ...request, url: `http://x/${'a'.repeat(100)}` });
    expect(out.text()).toBe('discovering: rfc9728 GET htt…');
    expect(out.text()).toHaveLength(29);
  });

  it('piped: nothing for discovery, one line per authorization milestone, no control characters', () => {
    const out = stream(false);
    const progress = createProgress(out, painter(false));
    progress.discovery({ type: 'discovery-started', resource: 'r' });
    progress.discovery({ ...request, speculative: true });
    progress.discovery({ type: 'step-finished', resource: 'r', step });
    progress.auth({ type: 'step-up', scope: 'a b', count: 1, limit: 3 });
    progress.done();
    expect(out.text()).toBe('step-up 1/3: authorizing again for scope a b\n');
  });

  it('a taken callback port: one line naming the port, the redirect URI used, and why it matters', () => {
    const out = stream(false);
    createProgress(out, painter(false)).auth({
      type: 'callback-port-taken',
      port: 8976,
      redirectUri: 'http://127.0.0.1:50123/callback',
    });
    expect(out.text()).toBe(
      'callback port 8976 is taken: listening on http://127.0.0.1:50123/callback instead (a client registered for port 8976 does not fit it)\n',
    );
  });

  it('a discovery after a challenge is said only when it found another issuer', () => {
    const out = stream(false);
    const progress = createProgress(out, painter(false));
    const discovered = (issuer: string, reason: 'initial' | 'challenge') => ({
      type: 'discovered' as const,
      reason,
      result: { authorizationServer: { issuer, issuerCheck: 'exact' } } as DiscoveryResult,
    });
    progress.auth(discovered('https://a.example', 'initial'));
    progress.auth(discovered('https://a.example', 'challenge'));
    progress.auth(discovered('https://b.example', 'challenge'));
    expect(out.text()).toBe(
      'discovered: issuer https://a.example (exact)\nre-discovered after a challenge: issuer https://b.example (exact)\n',
    );
  });
});

describe('progressFor', () => {
  const milestone = { type: 'refreshed', issuer: 'https://as.example' } as const;

  it('--json with stderr piped writes nothing; without --json, or on a TTY, milestones are written', () => {
    for (const [json, isTTY, written] of [
      [true, false, false],
      [false, false, true],
      [true, true, true],
    ] as const) {
      const err = stream(isTTY);
      progressFor({ stdout: stream(false), stderr: err, env: { NO_COLOR: '1' } }, json).auth(milestone);
      expect(err.text() !== '').toBe(written);
    }
  });
});
