import type { DiscoveryTrace, HttpAttempt, TraceStep } from '@oauth-discovery/core';

/** Geometry of the picture, in SVG user units (pixels at 100 %). */
export const GEOMETRY = {
  width: 1200,
  margin: 16,
  rowHeight: 20,
  /** Where the time axis starts and ends. */
  chartLeft: 790,
  chartRight: 1180,
  headerHeight: 64,
  legendHeight: 24,
} as const;

/** Why a request row is drawn as it is. */
export type AttemptRole = 'committed' | 'used' | 'unused';

/** One HTTP attempt on the time axis. */
export interface AttemptRow {
  readonly kind: 'attempt';
  readonly y: number;
  /** Position of the attempt in the trace: steps in order, then unused speculation. */
  readonly index: number;
  readonly attempt: HttpAttempt;
  readonly role: AttemptRole;
  /** The strategy that consumed it; absent for unused speculation. */
  readonly strategy?: string;
  readonly startMs: number;
  readonly endMs: number;
  /** The trace had no `startMs` for it: the start is an estimate (requests laid end to end). */
  readonly estimated: boolean;
}

/** The heading of one strategy step (or of the unused speculation). */
export interface GroupRow {
  readonly kind: 'group';
  readonly y: number;
  readonly label: string;
  readonly outcome: TraceStep['outcome'] | 'unused';
  readonly reason?: string | undefined;
  readonly startMs?: number | undefined;
  readonly endMs?: number | undefined;
}

/** A line for people: a step's note (issuer decisions), a relaxation, or the error that ended it. */
export interface NoteRow {
  readonly kind: 'note';
  readonly y: number;
  readonly tone: 'decision' | 'note' | 'relaxation' | 'error';
  readonly text: string;
}

export type Row = AttemptRow | GroupRow | NoteRow;

/** A tick of the time axis. */
export interface Tick {
  readonly ms: number;
  readonly x: number;
}

/** Everything the writer draws, positioned. */
export interface WaterfallLayout {
  readonly width: number;
  readonly height: number;
  readonly rows: readonly Row[];
  readonly ticks: readonly Tick[];
  /** The end of the time axis, ms. */
  readonly totalMs: number;
  /** The y range the grid lines span. */
  readonly rowsTop: number;
  readonly rowsBottom: number;
  /** Maps a time on the axis to x. */
  readonly x: (ms: number) => number;
}

/** What the layout needs beyond the trace. */
export interface LayoutOptions {
  /**
   * URL of the metadata the discovery ended with (the committing request); else inferred from the
   * trace (the last 2xx of the last step that found something), and none for a failed discovery.
   */
  readonly committedUrl?: string | undefined;
  /** The error that ended a failed discovery. */
  readonly error?: { readonly code: string; readonly message: string } | undefined;
  /** The time axis reaches at least this far (ms): gives several pictures one scale to compare. */
  readonly timeAxisMs?: number | undefined;
}

const ISSUER_DECISION = /\b(issuer|adopted|alias|pinned|accepted|refused|mismatch)\b/i;

/** The last 2xx attempt of the last step that found something: the request the answer rests on. */
function inferCommitted(trace: DiscoveryTrace): HttpAttempt | undefined {
  const found = trace.steps.filter((s) => s.outcome === 'found');
  const last = found[found.length - 1];
  return last?.attempts.filter((a) => a.outcome === 'ok').pop();
}

/** A "nice" tick interval (1, 2 or 5 × 10^n) giving at most `maxTicks` intervals over `totalMs`. */
export function tickInterval(totalMs: number, maxTicks = 8): number {
  const raw = Math.max(totalMs, 1) / maxTicks;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= raw) return factor * power;
  return 10 * power;
}

/**
 * Positions every step, note and attempt of `trace`: one row each, in trace order (steps in the
 * order they were decided, then the speculative requests no step used), on one time axis from the
 * start of the discovery. Attempts without `startMs` (traces from before it existed) are laid end
 * to end within their step, and marked estimated.
 */
export function layoutTrace(trace: DiscoveryTrace, options: LayoutOptions = {}): WaterfallLayout {
  const { rowHeight } = GEOMETRY;
  // A failed discovery rests on nothing, unless the caller names what it committed to.
  const committed =
    options.committedUrl === undefined
      ? options.error === undefined
        ? inferCommitted(trace)
        : undefined
      : [...trace.steps]
          .reverse()
          .flatMap((s) => [...s.attempts].reverse())
          .find((a) => a.url === options.committedUrl && a.outcome === 'ok');
  const rows: Row[] = [];
  let y = GEOMETRY.headerHeight;
  const push = <T extends Row>(row: Omit<T, 'y'>): void => {
    rows.push({ ...row, y } as T);
    y += rowHeight;
  };

  for (const relaxation of trace.relaxations) {
    push<NoteRow>({ kind: 'note', tone: 'relaxation', text: `relaxation in effect: ${relaxation}` });
  }
  let cursor = 0;
  let index = 0;
  for (const step of trace.steps) {
    const stepStart = step.startMs ?? cursor;
    const stepEnd = stepStart + step.durationMs;
    push<GroupRow>({
      kind: 'group',
      label: step.strategy,
      outcome: step.outcome,
      reason: step.reason,
      startMs: step.outcome === 'skipped' ? undefined : stepStart,
      endMs: step.outcome === 'skipped' ? undefined : stepEnd,
    });
    let within = stepStart;
    for (const attempt of step.attempts) {
      const start = attempt.startMs ?? within;
      within = start + attempt.durationMs;
      push<AttemptRow>({
        kind: 'attempt',
        index: index++,
        attempt,
        role: attempt === committed ? 'committed' : 'used',
        strategy: step.strategy,
        startMs: start,
        endMs: start + attempt.durationMs,
        estimated: attempt.startMs === undefined,
      });
    }
    for (const note of step.notes) {
      push<NoteRow>({ kind: 'note', tone: ISSUER_DECISION.test(note) ? 'decision' : 'note', text: note });
    }
    cursor = Math.max(cursor, stepEnd);
  }
  if (trace.unusedSpeculation.length > 0) {
    push<GroupRow>({
      kind: 'group',
      label: 'unused speculation',
      outcome: 'unused',
      reason: 'started early, no step needed them',
    });
    for (const attempt of trace.unusedSpeculation) {
      const start = attempt.startMs ?? 0;
      push<AttemptRow>({
        kind: 'attempt',
        index: index++,
        attempt,
        role: 'unused',
        startMs: start,
        endMs: start + attempt.durationMs,
        estimated: attempt.startMs === undefined,
      });
    }
  }
  if (options.error !== undefined) {
    push<NoteRow>({ kind: 'note', tone: 'error', text: `${options.error.code}: ${options.error.message}` });
  }

  const ends = rows.map((row) => ('endMs' in row && row.endMs !== undefined ? row.endMs : 0));
  const totalMs = Math.max(trace.durationMs, 1, options.timeAxisMs ?? 0, ...ends);
  const interval = tickInterval(totalMs);
  const axisEnd = Math.ceil(totalMs / interval) * interval;
  const span = GEOMETRY.chartRight - GEOMETRY.chartLeft;
  const x = (ms: number): number =>
    GEOMETRY.chartLeft + (Math.min(Math.max(ms, 0), axisEnd) / axisEnd) * span;
  const ticks: Tick[] = [];
  for (let ms = 0; ms <= axisEnd + interval / 2; ms += interval) ticks.push({ ms, x: x(ms) });
  return {
    width: GEOMETRY.width,
    height: y + GEOMETRY.legendHeight + 4,
    rows,
    ticks,
    totalMs: axisEnd,
    rowsTop: GEOMETRY.headerHeight,
    rowsBottom: y,
    x,
  };
}
