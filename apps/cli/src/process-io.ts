// The CLI's surroundings, apart from io.ts so that `--version` and `--help` load no library (io.ts
// sanitises output with core).

/** Where the CLI writes: a stream with `write` and, for colours and progress, `isTTY` and `columns`. */
export interface CliStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean | undefined;
  /** Width of the terminal, when it is one. */
  readonly columns?: number | undefined;
}

/** The CLI's surroundings, injectable so tests can run it in-process. */
export interface CliIo {
  /** Only whether it is a terminal (a person who can answer a browser sign-in); absent: not one. */
  readonly stdin?: { readonly isTTY?: boolean | undefined } | undefined;
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** Environment variables (`NO_COLOR`, `FORCE_COLOR`, `OAUTH_DISCOVERY_HOME`, …). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The running process's streams and environment. */
export function processIo(): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}
