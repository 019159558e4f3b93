import { describe, expect, it } from 'vitest';
import { createTraceRecorder } from './recorder.js';

describe('createTraceRecorder', () => {
  it('records steps in the order they finish, with attempts and notes, and freezes snapshots', () => {
    let t = 0;
    const recorder = createTraceRecorder('https://mcp.example/', { clock: () => t, wallClock: () => 0 });
    const a = recorder.startStep('a');
    const b = recorder.startStep('b');
    a.addAttempt({ method: 'GET', url: 'https://x/', status: 200, durationMs: 1, outcome: 'ok' });
    t = 5;
    b.finish({ outcome: 'not-found', reason: 'nothing' });
    a.note('kept');
    t = 7;
    a.finish({ outcome: 'found' });
    a.note('ignored after finish');
    a.addAttempt({ method: 'GET', url: 'https://late/', durationMs: 1, outcome: 'ok' });
    expect(a.finish({ outcome: 'failed' }).outcome).toBe('found');
    recorder.countRequest();
    recorder.addRelaxation('x');
    recorder.addRelaxation('x');
    const trace = recorder.snapshot();
    expect(trace).toEqual({
      resource: 'https://mcp.example/',
      steps: [
        {
          strategy: 'b',
          outcome: 'not-found',
          reason: 'nothing',
          notes: [],
          attempts: [],
          durationMs: 5,
          startMs: 0,
        },
        {
          strategy: 'a',
          outcome: 'found',
          notes: ['kept'],
          attempts: [{ method: 'GET', url: 'https://x/', status: 200, durationMs: 1, outcome: 'ok' }],
          durationMs: 7,
          startMs: 0,
        },
      ],
      unusedSpeculation: [],
      requestCount: 1,
      durationMs: 7,
      startedAt: '1970-01-01T00:00:00.000Z',
      relaxations: ['x'],
    });
    expect(Object.isFrozen(trace.steps)).toBe(true);
    expect(recorder.elapsed()).toBe(7);
    recorder.skipStep('c', 'why');
    expect(trace.steps).toHaveLength(2);
    expect(recorder.snapshot().steps[2]?.startMs).toBe(7);
  });
});
