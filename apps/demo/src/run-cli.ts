import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';

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
export function runCli(args: readonly string[], env: Readonly<Record<string, string>>): Promise<CliRun> {
  const cli = builtCliPath();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ args, code: code ?? 1, stdout, stderr }));
  });
}
