import type { TraceStep } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { painter } from './color.js';
import { createProgress } from './progress.js';

const step: TraceStep = {
  strategy: 'rfc9728',
  outcome: 'not-found',
  reason: 'both 404',
  notes: [],
  attempts: [],
  durationMs: 3,
};

function stream(isTTY: boolean) {
  let text = '';
  return { isTTY, write: (chunk: string) => (text += chunk), text: () => text };
}

describe('createProgress', () => {
  it('on a TTY: a live line for the request in flight, replaced by the finished step, cleared at the end', () => {
    const out = stream(true);
    const progress = createProgress(out, painter(false));
    progress.discovery({
      type: 'request-started',
      resource: 'r',
      method: 'GET',
      url: 'http://x/a',
      speculative: false,
      strategy: 'rfc9728',
    });
    expect(out.text()).toBe('  rfc9728: GET http://x/a');
    progress.discovery({ type: 'step-finished', resource: 'r', step });
    expect(out.text()).toBe('  rfc9728: GET http://x/a\r\u001b[K  ✘ rfc9728 — both 404\n');
    progress.discovery({ type: 'step-started', resource: 'r', strategy: 'rfc8414' });
    progress.done();
    expect(out.text().endsWith('  rfc8414 …\r\u001b[K')).toBe(true);
  });

  it('piped: only finished steps and authorization milestones, no control characters', () => {
    const out = stream(false);
    const progress = createProgress(out, painter(false));
    progress.discovery({
      type: 'request-started',
      resource: 'r',
      method: 'GET',
      url: 'http://x/a',
      speculative: true,
    });
    progress.discovery({ type: 'step-finished', resource: 'r', step });
    progress.auth({ type: 'step-up', scope: 'a b', count: 1, limit: 3 });
    progress.done();
    expect(out.text()).toBe('  ✘ rfc9728 — both 404\nstep-up 1/3: authorizing again for scope a b\n');
  });
});
