import { CommanderError } from 'commander';
import { type ExitCode, ExitCodes } from './exit-codes.js';
import { type CliIo, processIo } from './process-io.js';
import { createProgram } from './program.js';
import { cliVersion } from './version.js';

/**
 * Runs the `oauth-discovery` command line in-process and resolves with its exit code (see
 * `ExitCodes`); it never calls `process.exit`. `argv` is the arguments after the program name.
 *
 * @example
 * ```ts
 * const code = await run(['discover', 'https://mcp.atlassian.com/v1/mcp', '--json']);
 * ```
 */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCodes.OK;
  const program = createProgram(io, cliVersion(), (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return ExitCodes.USAGE;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride too, with exit code 0.
      return error.exitCode === 0 ? ExitCodes.OK : ExitCodes.USAGE;
    }
    const { reportError } = await import('./report-error.js');
    return reportError(io, error);
  }
}
