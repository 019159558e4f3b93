import { safeText } from '@oauth-discovery/core/trace';
import type { CliIo, CliStream } from './process-io.js';

export type { CliIo, CliStream } from './process-io.js';
export { processIo } from './process-io.js';

/**
 * Whether to colour output written to `stream`: `FORCE_COLOR` (not `0`) forces colours, `NO_COLOR`
 * (any non-empty value) and `TERM=dumb` turn them off, otherwise only on a TTY.
 *
 * @see https://no-color.org/
 */
export function useColor(stream: CliStream, env: CliIo['env']): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

// The painter's own codes (render/color.ts): the only escape sequences the CLI lets through.
const PAINTER_SGR = new RegExp(`${String.fromCharCode(0x1b)}\\[(?:0|1|2|31|32|33|36)m`, 'gu');

/**
 * Text made safe for a terminal: `safeText` of core (control characters, CSI/OSC sequences, bidi
 * overrides escaped) on everything but the painter's colour codes. With `multiline`, line feeds stay
 * (for the CLI's own multi-line output); a value inside one line must be single-line.
 */
export function terminalText(text: string, options: { readonly multiline?: boolean } = {}): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(PAINTER_SGR)) {
    out += safeText(text.slice(last, match.index), options) + match[0];
    last = match.index + match[0].length;
  }
  return out + safeText(text.slice(last), options);
}

/**
 * Writes one line (a newline is added). Every line the CLI writes goes through {@link terminalText}:
 * server-controlled text cannot reach the terminal raw, whatever command printed it.
 */
export function writeLine(stream: CliStream, line = ''): void {
  stream.write(`${terminalText(line, { multiline: true })}\n`);
}
