import { type DiscoveryTrace, summarizeTrace } from '@oauth-discovery/core';
import { describeError, type ExitCode, exitCodeFor } from './exit-codes.js';
import { type CliIo, useColor, writeLine } from './io.js';
import { painter } from './render/color.js';
import { errorJson } from './render/discovery-json.js';

/**
 * Reports the error that ended a command and returns its exit code: `error CODE: message` on stderr,
 * then the trace summary (one line per step) when the error carries a trace. With `json`, stdout also
 * gets `{ error: { code, message }, trace }`.
 */
export function reportError(io: CliIo, error: unknown, options: { readonly json?: boolean } = {}): ExitCode {
  const paint = painter(useColor(io.stderr, io.env));
  const { code, message } = describeError(error);
  writeLine(io.stderr, `${paint('red', `error ${code}:`)} ${message}`);
  const trace = (error as { trace?: DiscoveryTrace } | null)?.trace;
  // A discovery's failure (DISCOVERY_FAILED, or its real cause) already lists every step; not twice.
  const summarized = code === 'DISCOVERY_FAILED' || message.includes('. Tried:\n');
  if (trace !== undefined && trace.steps.length > 0 && !summarized) {
    writeLine(io.stderr, paint('dim', 'what was tried:'));
    for (const line of summarizeTrace(trace).split('\n')) writeLine(io.stderr, paint('dim', `  ${line}`));
  }
  if (options.json === true) writeLine(io.stdout, JSON.stringify(errorJson(error), null, 2));
  return exitCodeFor(error);
}
