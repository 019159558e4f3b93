import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLI_PATH } from './cli-start.js';
import { round1 } from './stats.js';
import type { CrossProcessResult } from './types.js';
import { type HostedResource, hostWorld, type ServerPlacement, settledCount } from './world-host.js';

const run = promisify(execFile);
const CROSS_WORLD = 'prm-path-aware';

/**
 * The CLI's file cache across processes: `oauth-discovery discover <url> --json` spawned twice with one
 * fresh state directory (`OAUTH_DISCOVERY_HOME`). The second run must answer from the cache without a
 * request reaching the servers. Skipped, with a note, when the CLI is not built.
 */
export async function benchCrossProcess(
  latencyMs: number,
  servers?: ServerPlacement,
  cliPath: string = CLI_PATH,
): Promise<CrossProcessResult> {
  const empty = {
    world: CROSS_WORLD,
    latencyMs,
    firstMs: 0,
    secondMs: 0,
    firstRequests: 0,
    secondRequests: 0,
  };
  if (!existsSync(cliPath)) {
    return { ...empty, fromCache: false, note: `skipped: ${cliPath} does not exist (build the CLI)` };
  }
  const world = await hostWorld({ kind: 'shape', name: CROSS_WORLD, latencyMs }, servers);
  const home = await mkdtemp(join(tmpdir(), 'oauth-discovery-bench-home-'));
  try {
    const { url: resource } = world.resources[0] as HostedResource;
    const env = { ...process.env, OAUTH_DISCOVERY_HOME: home, NO_COLOR: '1' };
    const once = async (): Promise<{ ms: number; requests: number; fromCache: boolean }> => {
      await world.clearLog();
      const started = performance.now();
      const { stdout } = await run(process.execPath, [cliPath, 'discover', resource, '--json'], {
        env,
        timeout: 60_000,
      });
      const ms = performance.now() - started;
      const { requests } = await settledCount(world);
      return { ms, requests, fromCache: (JSON.parse(stdout) as { fromCache?: boolean }).fromCache === true };
    };
    const first = await once();
    const second = await once();
    return {
      ...empty,
      firstMs: round1(first.ms),
      secondMs: round1(second.ms),
      firstRequests: first.requests,
      secondRequests: second.requests,
      fromCache: second.fromCache,
    };
  } finally {
    await rm(home, { recursive: true, force: true });
    await world.close();
  }
}
