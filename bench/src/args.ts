import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';

/** Flags of `pnpm bench`. */
export interface BenchArgs {
  /** Write `bench/results.json` as well as the table. */
  readonly json: boolean;
  /** One latency, few runs: under a minute (CI). */
  readonly quick: boolean;
  readonly help: boolean;
}

const FLAGS = ['--json', '--quick', '--help'] as const;

/** Usage text of `pnpm bench`. */
export const USAGE = `usage: pnpm bench [--quick] [--json]
  --quick  one latency (20 ms) and 3 runs per world: under a minute
  --json   also write bench/results.json`;

/**
 * Reads the flags of `pnpm bench`.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` naming the unknown argument and the known flags.
 */
export function parseArgs(argv: readonly string[]): BenchArgs {
  for (const arg of argv) {
    if (!(FLAGS as readonly string[]).includes(arg)) {
      throw new DiscoveryError(
        ErrorCodes.INVALID_CONFIG,
        `Unknown argument "${arg}"; known flags: ${FLAGS.join(', ')}`,
        { expected: FLAGS, actual: arg },
      );
    }
  }
  return { json: argv.includes('--json'), quick: argv.includes('--quick'), help: argv.includes('--help') };
}
