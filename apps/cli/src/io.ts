import { safeText } from '@oauth-discovery/core';

/** Where the CLI writes: a stream with `write` and, for colours and progress, `isTTY` and `columns`. */
export interface CliStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean | undefined;
  /** Width of the terminal, when it is one. */
  readonly columns?: number | undefined;
}

/** The CLI's surroundings, injectable so tests can run it in-process. */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** Environment variables (`NO_COLOR`, `FORCE_COLOR`, `OAUTH_DISCOVERY_HOME`, …). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The running process's streams and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

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
