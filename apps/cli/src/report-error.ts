import { type DiscoveryTrace, summarizeTrace } from '@oauth-discovery/core';
import { describeError, type ExitCode, exitCodeFor } from './exit-codes.js';
import { type CliIo, useColor, writeLine } from './io.js';
import { painter } from './render/color.js';
import { errorJson } from './render/discovery-json.js';
import { nothingPublished, traceSummaryLines } from './render/trace-text.js';

/** Options of {@link reportError}. */
export interface ReportErrorOptions {
  /** `--json`: stdout also gets `{ error, trace }`, and stderr only the error line. */
  readonly json?: boolean | undefined;
  /** `--verbose`: the error's whole message and every step, idle presets included. */
  readonly verbose?: boolean | undefined;
  /** What the user can do about it, printed under the error line. */
  readonly hint?: string | undefined;
}

// Core's discovery failures end their message with every step tried (`…. Tried:\n  step: …`).
const TRIED = '. Tried:\n';

/**
 * The error line: the message up to its list of steps, the real cause first as core puts it. A
 * `DISCOVERY_FAILED` without one says why nothing was found when every URL answered "not here".
 */
export function errorHeadline(code: string, message: string, trace: DiscoveryTrace | undefined): string {
  const cut = message.indexOf(TRIED);
  const head = cut === -1 ? message : message.slice(0, cut);
  const why = code === 'DISCOVERY_FAILED' && trace !== undefined ? nothingPublished(trace) : undefined;
  return why === undefined ? head : `${head}: ${why}`;
}

/**
 * Reports the error that ended a command and returns its exit code: `error CODE: message` on stderr
 * — the real cause first, without the list of steps a discovery failure's message ends with — then
 * the steps tried when the error carries a trace (folded: idle presets on one line, each error message
 * once; all of it with `verbose`). With `json`, stdout also gets `{ error: { code, message }, trace }`
 * and stderr only the error line.
 */
export function reportError(io: CliIo, error: unknown, options: ReportErrorOptions = {}): ExitCode {
  const paint = painter(useColor(io.stderr, io.env));
  const { code, message } = describeError(error);
  const trace = (error as { trace?: DiscoveryTrace } | null)?.trace;
  const line = options.verbose === true ? message : errorHeadline(code, message, trace);
  writeLine(io.stderr, `${paint('red', `error ${code}:`)} ${line}`);
  if (options.hint !== undefined) writeLine(io.stderr, `${paint('yellow', 'hint:')} ${options.hint}`);
  // With --verbose a discovery failure's message already lists every step: not twice.
  const listed = options.verbose === true && message.includes(TRIED);
  if (trace !== undefined && trace.steps.length > 0 && options.json !== true && !listed) {
    const steps =
      options.verbose === true ? summarizeTrace(trace).split('\n') : traceSummaryLines(trace, [line]);
    writeLine(io.stderr, paint('dim', 'what was tried:'));
    for (const step of steps) writeLine(io.stderr, paint('dim', `  ${step}`));
  }
  if (options.json === true) writeLine(io.stdout, JSON.stringify(errorJson(error), null, 2));
  return exitCodeFor(error);
}
