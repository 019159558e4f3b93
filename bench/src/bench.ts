import { availableParallelism, cpus, loadavg, platform, release } from 'node:os';
import { benchCache } from './cache.js';
import { benchCliStart } from './cli-start.js';
import { benchCrossProcess } from './cross-process.js';
import { benchWorld, type RunPlan } from './run-world.js';
import { benchScale } from './scale.js';
import { DEFAULT_SCALE, type ScalePlan } from './scale-world.js';
import { benchSharedDocuments } from './shared-docs.js';
import type { BenchResults, Machine, WorldResult } from './types.js';
import { defaultPlacement, type ServerPlacement } from './world-host.js';
import { type BenchWorld, benchWorlds } from './worlds.js';

/** Everything a benchmark run does; {@link planFor} gives the quick and the full one. */
export interface BenchPlan {
  readonly mode: 'quick' | 'full';
  readonly latencies: readonly number[];
  readonly worldRuns: RunPlan;
  readonly worlds: readonly BenchWorld[];
  readonly cacheWarmRuns: number;
  readonly scale: ScalePlan;
  readonly cliRuns: number;
  /** Where the worlds' servers run: their own worker thread (from the build) or this thread (vitest). */
  readonly servers: ServerPlacement;
}

/** The quick plan (CI: 20 ms, 3 runs, under a minute) or the full one (20 and 100 ms, 11 runs). */
export function planFor(quick: boolean): BenchPlan {
  return quick
    ? {
        mode: 'quick',
        latencies: [20],
        worldRuns: { runs: 3, warmup: 1 },
        worlds: benchWorlds,
        cacheWarmRuns: 20,
        scale: DEFAULT_SCALE,
        cliRuns: 3,
        servers: defaultPlacement(),
      }
    : {
        mode: 'full',
        latencies: [20, 100],
        worldRuns: { runs: 11, warmup: 2 },
        worlds: benchWorlds,
        cacheWarmRuns: 100,
        scale: { ...DEFAULT_SCALE, rounds: 3 },
        cliRuns: 10,
        servers: defaultPlacement(),
      };
}

/** The machine the benchmark runs on. */
export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

/** `os.loadavg()`, two decimals. */
function load(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

/**
 * Runs the whole benchmark in this process: every world at every latency, the warm cache, the shared
 * documents, the scale run and the CLI cold start. `progress` gets one line per finished part.
 */
export async function runBench(
  plan: BenchPlan,
  progress: (line: string) => void = () => {},
): Promise<BenchResults> {
  const date = new Date().toISOString();
  const loadAtStart = load();
  const worlds: WorldResult[] = [];
  for (const latencyMs of plan.latencies) {
    for (const world of plan.worlds) {
      const result = await benchWorld(world, latencyMs, { ...plan.worldRuns, servers: plan.servers });
      progress(
        `${world.name} @ ${latencyMs} ms: ours ${result.ours.medianMs} ms, SDK ${result.sdk.medianMs} ms`,
      );
      worlds.push(result);
    }
  }
  const cache = await benchCache(Math.max(...plan.latencies), plan.cacheWarmRuns, plan.servers);
  progress(`cache: ${cache.warmRequests} requests in ${cache.warmRuns} warm runs`);
  const crossProcess = await benchCrossProcess(Math.max(...plan.latencies), plan.servers);
  progress(`cross-process: second CLI run ${crossProcess.note ?? `${crossProcess.secondRequests} requests`}`);
  const sharedDocuments = await benchSharedDocuments(
    Math.max(...plan.latencies),
    plan.worldRuns.runs,
    plan.servers,
  );
  progress(
    `shared documents: first resource ${sharedDocuments.first.requests} requests, ` +
      `second ${sharedDocuments.second.requests} (SDK ${sharedDocuments.sdkSecond.requests})`,
  );
  const scale = await benchScale(plan.scale, plan.servers);
  progress(`scale: ours ${scale.ours.wallMs} ms, SDK ${scale.sdk.wallMs} ms`);
  const cliStart = await benchCliStart(plan.cliRuns);
  progress(`cli start: ${cliStart.medianMs ?? cliStart.note}`);
  return {
    machine: machine(),
    date,
    mode: plan.mode,
    servers: plan.servers,
    load: { start: loadAtStart, end: load() },
    worlds,
    cache,
    crossProcess,
    sharedDocuments,
    scale,
    cliStartMs: cliStart.medianMs,
    cliStart,
  };
}
