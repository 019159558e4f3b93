import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI these tests drive. */
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Fails the suite with a clear message when the CLI was not built (the root `pnpm test` builds first). */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) {
    throw new Error(
      `${CLI} is missing: build the CLI first (pnpm build, or pnpm test from the repository root)`,
    );
  }
}

/** How one run of the built CLI ended. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a child process, colours off, with `env` on top of this process's environment. */
export function cli(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  const childEnv: Record<string, string | undefined> = { ...process.env };
  delete childEnv.FORCE_COLOR;
  Object.assign(childEnv, { NO_COLOR: '1', ...env });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: childEnv,
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
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A temporary token store directory (`OAUTH_DISCOVERY_HOME`), removed by `remove()`. */
export async function tempHome(): Promise<{ readonly dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'oauth-discovery-cli-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
