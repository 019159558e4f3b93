import { firstResponse } from './challenge.js';
import { type Contender, oursContender, type RunOutcome, sdkContender } from './contenders.js';
import { median, round1 } from './stats.js';
import type { Answer, ContenderResult, WorldResult } from './types.js';
import {
  type HostedResource,
  type HostedWorld,
  hostWorld,
  type ServerPlacement,
  settledCount,
} from './world-host.js';
import type { BenchWorld } from './worlds.js';

/** How many runs of each contender, and how many unrecorded warm-up runs before them. */
export interface RunPlan {
  readonly runs: number;
  readonly warmup: number;
  /** Where the world's servers run (default: a worker thread when running from the build). */
  readonly servers?: ServerPlacement;
}

interface Samples {
  readonly ms: number[];
  readonly requests: number[];
  readonly aborted: number[];
  readonly unused: number[];
  correct: boolean;
  answer: Answer;
}

const stripSlash = (issuer: string) => issuer.replace(/\/$/, '');

/** Whether `answer` is what the world expects: its issuer, or — in a world with none — no published metadata. */
export function isExpected(answer: Answer, expectedIssuer: string | undefined): boolean {
  if (expectedIssuer === undefined) return answer.kind === 'guessed' || answer.kind === 'none';
  return answer.kind === 'metadata' && stripSlash(answer.issuer ?? '') === stripSlash(expectedIssuer);
}

function summarize(samples: Samples): ContenderResult {
  return {
    medianMs: round1(median(samples.ms)),
    minMs: round1(Math.min(...samples.ms)),
    maxMs: round1(Math.max(...samples.ms)),
    requests: median(samples.requests),
    aborted: median(samples.aborted),
    unusedSpeculation: median(samples.unused),
    correct: samples.correct,
    answer: samples.answer,
  };
}

async function timedRun(
  world: HostedWorld,
  run: () => Promise<RunOutcome>,
): Promise<{ ms: number; outcome: RunOutcome; requests: number; aborted: number }> {
  await world.clearLog();
  const started = performance.now();
  const outcome = await run();
  const ms = performance.now() - started;
  return { ms, outcome, ...(await settledCount(world)) };
}

/**
 * Runs our pipeline (default, and with speculation) and the SDK against one world at one latency. The
 * world is started once; its request log — what the servers received — is the request count for all
 * three, so the numbers compare. The contenders take turns within each run, in a rotating order, so
 * a slow phase of the machine does not fall on one of them only.
 */
export async function benchWorld(
  benchWorld: BenchWorld,
  latencyMs: number,
  plan: RunPlan,
): Promise<WorldResult> {
  const world = await hostWorld({ kind: 'shape', name: benchWorld.name, latencyMs }, plan.servers);
  const contenders = [
    oursContender({ speculate: false }),
    oursContender({ speculate: true }),
    sdkContender(),
  ];
  try {
    const { url: resource, issuer: expectedIssuer } = world.resources[0] as HostedResource;
    const first = await firstResponse(resource);
    const samples = new Map<Contender['key'], Samples>(
      contenders.map((c) => [
        c.key,
        { ms: [], requests: [], aborted: [], unused: [], correct: true, answer: { kind: 'none' } },
      ]),
    );
    for (let round = 0; round < plan.warmup + plan.runs; round++) {
      const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as Contender);
      for (const contender of order) {
        const run = await timedRun(world, () => contender.discover(resource, first));
        if (round < plan.warmup) continue;
        const s = samples.get(contender.key) as Samples;
        s.ms.push(run.ms);
        s.requests.push(run.requests);
        s.aborted.push(run.aborted);
        s.unused.push(run.outcome.unusedSpeculation);
        s.correct &&= isExpected(run.outcome.answer, expectedIssuer);
        s.answer = run.outcome.answer;
      }
    }
    return {
      name: benchWorld.name,
      latencyMs,
      chain: benchWorld.chain,
      idealMs: benchWorld.chain * latencyMs,
      runs: plan.runs,
      ours: summarize(samples.get('ours') as Samples),
      oursSpeculative: summarize(samples.get('oursSpeculative') as Samples),
      sdk: summarize(samples.get('sdk') as Samples),
    };
  } finally {
    await Promise.all(contenders.map((c) => c.close()));
    await world.close();
  }
}
