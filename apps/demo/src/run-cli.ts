import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { runNode } from '@oauth-discovery/testkit';

/** What one run of the CLI printed and how it exited. */
export interface CliRun {
  readonly args: readonly string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Path of the built CLI (`apps/cli/dist/cli.js`), found through the workspace dependency. */
export function builtCliPath(): string {
  const pkg = createRequire(import.meta.url).resolve('@oauth-discovery/cli/package.json');
  const cli = join(dirname(pkg), 'dist', 'cli.js');
  if (!existsSync(cli)) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      `The CLI is not built (${cli} is missing): run \`pnpm build\` (or \`pnpm demo\`) first`,
      { url: cli, expected: 'a built apps/cli/dist/cli.js', actual: 'missing' },
    );
  }
  return cli;
}

/** Runs the built CLI as a child process with `env` added to this process's environment. */
export async function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<CliRun> {
  const run = await runNode(builtCliPath(), args, { ...process.env, ...env });
  return { args, code: run.code ?? 1, stdout: run.stdout, stderr: run.stderr };
}
