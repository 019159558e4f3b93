import { safeText as safe } from '../text/safe-text.js';
import type { DiscoveryTrace, HttpAttempt, TraceStep } from './types.js';

// Every value below that a server could have shaped (URLs, reasons, notes, error messages) goes
// through `safe`: one line each, no control characters (see safeText).

/** Options of {@link formatTrace}. */
export interface FormatTraceOptions {
  /** Use ANSI colours (green found, yellow not-found, dim skipped, red failed). Default: plain text. */
  readonly color?: boolean;
}

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
} as const;

type Paint = (style: keyof typeof ANSI, text: string) => string;

const OUTCOME_STYLE: Record<TraceStep['outcome'], keyof typeof ANSI> = {
  found: 'green',
  'not-found': 'yellow',
  skipped: 'dim',
  failed: 'red',
};

const OUTCOME_MARK: Record<TraceStep['outcome'], string> = {
  found: '✔',
  'not-found': '✘',
  skipped: '-',
  failed: '!',
};

/**
 * What an attempt ended with, in a few words: `404`, `BLOCKED_ADDRESS: …`, `aborted`. An error that
 * came with a status (a 200 with an HTML body) shows both: the status alone would read as a success.
 */
function attemptResult(attempt: HttpAttempt): string {
  if (attempt.outcome === 'aborted') return 'aborted';
  const status = attempt.status === undefined ? '' : String(attempt.status);
  if (attempt.error === undefined) return status === '' ? attempt.outcome : status;
  const error = `${attempt.error.code}: ${safe(attempt.error.message)}`;
  return status === '' ? error : `${status} ${error}`;
}

function attemptLine(attempt: HttpAttempt, paint: Paint): string {
  const redirects =
    attempt.redirects !== undefined && attempt.redirects.length > 0
      ? ` via ${attempt.redirects.map((url) => safe(url)).join(' → ')}`
      : '';
  const speculative =
    (attempt.speculative === true ? paint('cyan', ' [speculative]') : '') +
    (attempt.cached === true ? paint('cyan', ' [cached]') : '');
  const result = attemptResult(attempt);
  const colored =
    attempt.outcome === 'ok'
      ? paint('green', result)
      : attempt.outcome === 'aborted'
        ? paint('dim', result)
        : attempt.outcome === 'error'
          ? paint('red', result)
          : paint('yellow', result);
  return `${attempt.method} ${safe(attempt.url)}${redirects} → ${colored} (${Math.round(attempt.durationMs)} ms)${speculative}`;
}

function stepBlock(step: TraceStep, paint: Paint): string[] {
  const style = OUTCOME_STYLE[step.outcome];
  const head = `${paint(style, `${OUTCOME_MARK[step.outcome]} ${step.outcome.padEnd(9)}`)} ${paint('bold', safe(step.strategy))}`;
  const code = step.errorCode === undefined ? '' : ` [${step.errorCode}]`;
  const reason = step.reason === undefined ? '' : ` — ${safe(step.reason)}`;
  const duration = step.outcome === 'skipped' ? '' : ` (${step.durationMs} ms)`;
  const lines = [`${head}${duration}${paint(style, `${code}${reason}`)}`];
  for (const attempt of step.attempts) lines.push(`    ${attemptLine(attempt, paint)}`);
  for (const note of step.notes) lines.push(`    ${paint('dim', `note: ${safe(note)}`)}`);
  return lines;
}

/**
 * Renders a trace for people: one block per step (outcome, strategy, reason, notes), each HTTP
 * attempt on its own line (`GET <url> → 404 (12 ms)`, `→ BLOCKED_ADDRESS: …`), speculative
 * requests marked, unused speculation at the end, then total time and request count.
 */
export function formatTrace(trace: DiscoveryTrace, options: FormatTraceOptions = {}): string {
  const paint: Paint =
    options.color === true
      ? (style, text) => (text === '' ? text : `${ANSI[style]}${text}${ANSI.reset}`)
      : (_style, text) => text;
  const lines = [`Discovery of ${paint('bold', safe(trace.resource))} (started ${safe(trace.startedAt)})`];
  if (trace.relaxations.length > 0) {
    lines.push(paint('yellow', `Relaxations in effect: ${safe(trace.relaxations.join(', '))}`));
  }
  if (trace.steps.length === 0) lines.push(paint('dim', '  (no step ran)'));
  for (const step of trace.steps) lines.push(...stepBlock(step, paint).map((line) => `  ${line}`));
  if (trace.unusedSpeculation.length > 0) {
    lines.push(paint('dim', 'Unused speculation:'));
    for (const attempt of trace.unusedSpeculation) lines.push(`    ${attemptLine(attempt, paint)}`);
  }
  const requests = `${trace.requestCount} request${trace.requestCount === 1 ? '' : 's'}`;
  lines.push(`Total: ${trace.durationMs} ms, ${requests}`);
  return lines.join('\n');
}

/**
 * One line for one step: `rfc9728: GET … → 404, GET … → 404 (no metadata)`. A reason that already
 * names every URL tried (as `tryInOrder`'s does: `GET … → 404; GET … → 404`) stands alone, so the
 * error message does not list each URL twice.
 */
function summarizeStep(step: TraceStep): string {
  if (step.outcome === 'skipped')
    return `${safe(step.strategy)}: skipped (${safe(step.reason ?? 'no reason given')})`;
  const code = step.errorCode === undefined ? '' : `${step.errorCode}: `;
  const reason = step.reason === undefined ? '' : `${code}${safe(step.reason)}`;
  const covered = reason !== '' && step.attempts.every((a) => reason.includes(safe(a.url)));
  if (covered || step.attempts.length === 0)
    return `${safe(step.strategy)}: ${reason === '' ? step.outcome : reason}`;
  const attempts = step.attempts.map((a) => `${a.method} ${safe(a.url)} → ${attemptResult(a)}`).join(', ');
  return `${safe(step.strategy)}: ${attempts}${reason === '' ? '' : ` (${reason})`}`;
}

/**
 * Every step of a trace, one line each, in order — what was tried and how it ended. The
 * `DISCOVERY_FAILED` message joins these lines.
 */
export function summarizeTraceLines(trace: DiscoveryTrace): string[] {
  return trace.steps.map(summarizeStep);
}

/** {@link summarizeTraceLines} as one string, one line per step. */
export function summarizeTrace(trace: DiscoveryTrace): string {
  return summarizeTraceLines(trace).join('\n');
}
