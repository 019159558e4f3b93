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

/** Writes one line (a newline is added). */
export function writeLine(stream: CliStream, line = ''): void {
  stream.write(`${line}\n`);
}
