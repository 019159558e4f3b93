import {
  type DiscoveryTrace,
  formatTrace,
  type HttpAttempt,
  safeText as safe,
  type TraceStep,
} from '@oauth-discovery/core';
import type { Paint } from './color.js';

// How the CLI shows a trace without --verbose: what happened first, what did not apply folded into
// one line, each error message once. `--verbose` prints core's full trace instead.

/**
 * A preset step that said nothing about this resource: skipped (not one of its endpoints), or a
 * policy for the provider's own issuers that holds whatever the resource (Entra, Google, Cognito…),
 * which only matters when the authorization server turns out to be theirs.
 */
export function isIdlePreset(step: TraceStep): boolean {
  if (!step.strategy.startsWith('preset:')) return false;
  if (step.outcome === 'skipped') return true;
  return (
    step.outcome === 'found' &&
    step.attempts.length === 0 &&
    (step.notes[0] ?? '').endsWith(', whatever the resource')
  );
}

/** How many idle presets the fold line stands for (0: no fold line). */
function idlePresets(steps: readonly TraceStep[]): number {
  return steps.filter(isIdlePreset).length;
}

const SHOWN_BY_VERBOSE = 'not for this resource (--verbose shows each)';

/**
 * A reason without the requests it lists (`tryInOrder` ends its reasons with `GET … → 404; …`), which
 * the trace shows one by one anyway: `no issuer was known …: GET … → 404` becomes `no issuer was known …`.
 */
function withoutRequests(step: TraceStep): string | undefined {
  const first = step.attempts[0];
  if (step.reason === undefined || first === undefined) return step.reason;
  if (!step.attempts.every((attempt) => step.reason?.includes(attempt.url))) return step.reason;
  const at = step.reason.indexOf(`${first.method} ${first.url}`);
  if (at === -1) return step.reason;
  const rest = step.reason.slice(0, at).replace(/[\s:;,(-]+$/u, '');
  return rest === '' ? undefined : rest;
}

/** The steps as shown: idle presets out, reasons without their requests, same-reason skips merged. */
function shownSteps(trace: DiscoveryTrace): TraceStep[] {
  const steps = trace.steps
    .filter((step) => !isIdlePreset(step))
    .map((step): TraceStep => {
      const { reason: _dropped, ...rest } = step;
      const reason = withoutRequests(step);
      return reason === undefined ? rest : { ...rest, reason };
    });
  return mergeSkipped(steps);
}

/** Consecutive skipped steps with the same reason as one step named `a, b`. */
function mergeSkipped(steps: readonly TraceStep[]): TraceStep[] {
  const merged: TraceStep[] = [];
  for (const step of steps) {
    const last = merged.at(-1);
    if (last?.outcome === 'skipped' && step.outcome === 'skipped' && last.reason === step.reason) {
      merged[merged.length - 1] = { ...last, strategy: `${last.strategy}, ${step.strategy}` };
    } else merged.push(step);
  }
  return merged;
}

/**
 * The trace table of `discover` and `check`: core's `formatTrace` of the steps that did something,
 * skipped steps with one reason on one line, and the idle presets folded into one line after the
 * steps. With `verbose`, core's full trace.
 */
export function formatTraceText(
  trace: DiscoveryTrace,
  options: { readonly color: boolean; readonly verbose: boolean; readonly paint: Paint },
): string {
  if (options.verbose) return formatTrace(trace, { color: options.color });
  const lines = formatTrace({ ...trace, steps: shownSteps(trace) }, { color: options.color }).split('\n');
  const idle = idlePresets(trace.steps);
  if (idle > 0) {
    // After the steps: before the unused speculation (a heading and one line each) and the total.
    const tail = 1 + (trace.unusedSpeculation.length > 0 ? trace.unusedSpeculation.length + 1 : 0);
    const fold = `- skipped   ${idle} preset${idle === 1 ? '' : 's'} ${SHOWN_BY_VERBOSE}`;
    lines.splice(lines.length - tail, 0, `  ${options.paint('dim', fold)}`);
  }
  return lines.join('\n');
}

/**
 * `text` with its end replaced by `as above` when that end was printed already (`refusing to guess
 * endpoints at …: <the error above>` → `refusing to guess endpoints at …, as above`), so an error is
 * read once.
 */
function unsaid(text: string, said: readonly string[]): string {
  const printed = (part: string) => part.length >= 12 && said.some((line) => line.includes(part));
  if (printed(text)) return 'as above';
  for (let at = text.indexOf(': '); at !== -1; at = text.indexOf(': ', at + 2)) {
    if (printed(text.slice(at + 2))) return `${text.slice(0, at)}, as above`;
  }
  return text;
}

function attemptText(attempt: HttpAttempt, said: string[]): string {
  let result: string;
  if (attempt.outcome === 'aborted') result = 'aborted';
  else if (attempt.error === undefined) result = String(attempt.status ?? attempt.outcome);
  else {
    // `Request to <url> failed: …` on the line of that very URL: the URL once.
    const message = safe(attempt.error.message.replace(`Request to ${attempt.url} failed: `, ''));
    const status = attempt.status === undefined ? '' : `${attempt.status} `;
    const before = said.some((text) => text.includes(message));
    result = `${status}${attempt.error.code}${before ? '' : `: ${message}`}`;
    said.push(message);
  }
  return `${attempt.method} ${safe(attempt.url)} → ${result}`;
}

function stepLine(step: TraceStep, said: string[]): string {
  const name = safe(step.strategy);
  const reason = step.reason === undefined ? undefined : safe(step.reason);
  if (step.outcome === 'skipped') return `${name}: skipped (${reason ?? 'no reason given'})`;
  const code = step.errorCode === undefined ? '' : `${step.errorCode}: `;
  if (step.attempts.length === 0) {
    return `${name}: ${reason === undefined ? step.outcome : unsaid(`${code}${reason}`, said)}`;
  }
  // The requests first, then what the reason says besides them.
  const attempts = step.attempts.map((a) => attemptText(a, said)).join('; ');
  const rest = reason === undefined ? undefined : unsaid(`${code}${reason}`, said);
  const why = rest === undefined ? '' : ` (${rest})`;
  return `${name}: ${attempts}${why}`;
}

/**
 * What was tried, one line per step that did something (`rfc9728: GET … → 404; GET … → 404`), the
 * idle presets on one line, and every error message once: a message in `said` (the error line above)
 * or already printed reads `(as above)`.
 */
export function traceSummaryLines(trace: DiscoveryTrace, said: readonly string[] = []): string[] {
  const seen = [...said];
  const lines = shownSteps(trace).map((step) => stepLine(step, seen));
  const idle = idlePresets(trace.steps);
  return idle === 0 ? lines : [...lines, `presets: ${idle} ${SHOWN_BY_VERBOSE}`];
}

/**
 * Why nothing was found when no request failed: every URL answered a definitive "not here"
 * (`404`, `401`, …). `undefined` when some attempt ended otherwise.
 */
export function nothingPublished(trace: DiscoveryTrace): string | undefined {
  const attempts = trace.steps.flatMap((step) => step.attempts);
  const statuses = new Set<number>();
  for (const attempt of attempts) {
    if (attempt.status === undefined || ![401, 403, 404, 410].includes(attempt.status)) return undefined;
    statuses.add(attempt.status);
  }
  if (attempts.length === 0) return undefined;
  return `nothing is published: all ${attempts.length} requests answered ${[...statuses].sort().join(' or ')}`;
}
