import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median, round1 } from './stats.js';
import type { CliStartResult } from './types.js';

const run = promisify(execFile);

/** `apps/cli/dist/cli.js`, from `bench/src` or `bench/dist` alike. */
export const CLI_PATH: string = fileURLToPath(new URL('../../apps/cli/dist/cli.js', import.meta.url));

async function spawnMs(args: readonly string[]): Promise<number> {
  const started = performance.now();
  await run(process.execPath, [...args], { timeout: 30_000 });
  return performance.now() - started;
}

/**
 * The CLI's cold start: `node apps/cli/dist/cli.js --version`, spawned `runs` times one after the
 * other, next to `node -e ''` (the floor any Node program pays). Skipped, with a note, when the CLI
 * is not built.
 */
export async function benchCliStart(runs: number, cliPath: string = CLI_PATH): Promise<CliStartResult> {
  const baseline: number[] = [];
  for (let i = 0; i < runs; i++) baseline.push(await spawnMs(['-e', '']));
  const nodeBaselineMs = round1(median(baseline));
  if (!existsSync(cliPath)) {
    return {
      medianMs: null,
      nodeBaselineMs,
      runs: 0,
      note: `skipped: ${cliPath} does not exist (build the CLI: pnpm turbo run build --filter=@oauth-discovery/cli)`,
    };
  }
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) times.push(await spawnMs([cliPath, '--version']));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      medianMs: null,
      nodeBaselineMs,
      runs: times.length,
      note: `failed: ${cliPath} --version: ${reason}`,
    };
  }
  return { medianMs: round1(median(times)), nodeBaselineMs, runs };
}
