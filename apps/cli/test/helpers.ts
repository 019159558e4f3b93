import { existsSync, mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type NodeRun, runNode } from '@oauth-discovery/testkit';
import { afterAll } from 'vitest';

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
export type CliResult = NodeRun;

/**
 * The state directory (token store, discovery cache) of every CLI run of this test file unless a test
 * passes its own `OAUTH_DISCOVERY_HOME`: never the user's, and fresh for each test file.
 */
export const TEST_HOME = mkdtempSync(join(tmpdir(), 'oauth-discovery-cli-home-'));
afterAll(() => rm(TEST_HOME, { recursive: true, force: true }));

/** Runs the built CLI as a child process, colours off, with `env` on top of this process's environment. */
export function cli(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  return runNode(CLI, args, {
    ...process.env,
    FORCE_COLOR: undefined,
    NO_COLOR: '1',
    OAUTH_DISCOVERY_HOME: TEST_HOME,
    ...env,
  });
}

/** A temporary token store directory (`OAUTH_DISCOVERY_HOME`), removed by `remove()`. */
export async function tempHome(): Promise<{ readonly dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'oauth-discovery-cli-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
