import { describe, expect, it } from 'vitest';
import { planFor, runBench } from '../src/bench.js';
import { problemsIn } from '../src/check.js';
import { formatResults } from '../src/table.js';
import type { BenchResults, ContenderResult, ScaleContenderResult } from '../src/types.js';
import { benchWorlds } from '../src/worlds.js';

function expectContender(result: ContenderResult): void {
  expect(Number.isFinite(result.medianMs)).toBe(true);
  expect(result.medianMs).toBeGreaterThan(0);
  expect(result.minMs).toBeLessThanOrEqual(result.medianMs);
  expect(result.maxMs).toBeGreaterThanOrEqual(result.medianMs);
  expect(Number.isInteger(result.requests)).toBe(true);
  expect(result.requests).toBeGreaterThan(0);
  expect(result.aborted).toBeGreaterThanOrEqual(0);
  expect(result.unusedSpeculation).toBeGreaterThanOrEqual(0);
  // A fast wrong answer would be no result at all: every contender must find what the world serves.
  expect(result.correct).toBe(true);
  expect(['metadata', 'guessed', 'none']).toContain(result.answer.kind);
}

function expectScale(result: ScaleContenderResult): void {
  expect(result.failures).toBe(0);
  expect(result.requests).toBeGreaterThan(0);
  expect(result.wallMs).toBeGreaterThan(0);
  expect(result.peakRssMb).toBeGreaterThan(0);
  expect(result.peakHeapDeltaMb).toBeGreaterThanOrEqual(0);
}

describe('pnpm bench --quick, in process', () => {
  it('measures every world, the cache, shared documents, the scale run and the CLI start, well-formed', async () => {
    const plan = planFor(true);
    const lines: string[] = [];
    const results: BenchResults = await runBench(plan, (line) => lines.push(line));

    expect(results.mode).toBe('quick');
    // vitest cannot load the TypeScript worker: the servers share this thread here.
    expect(results.servers).toBe('in-process');
    expect(new Date(results.date).toISOString()).toBe(results.date);
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.node).toBe(process.version);
    expect(results.machine.cpu.length).toBeGreaterThan(0);
    expect(results.load.start).toHaveLength(3);
    expect(results.load.end).toHaveLength(3);

    expect(results.worlds.map((w) => w.name)).toEqual(benchWorlds.map((w) => w.name));
    for (const world of results.worlds) {
      expect(world.latencyMs).toBe(20);
      expect(world.runs).toBe(plan.worldRuns.runs);
      expect(world.idealMs).toBe(world.chain * world.latencyMs);
      expectContender(world.ours);
      expectContender(world.oursSpeculative);
      expectContender(world.sdk);
      // By default our pipeline sends nothing speculative, so nothing is left unused, and it never
      // asks more than the SDK (which may stop earlier where it does not follow the spec's fallbacks).
      expect(world.ours.unusedSpeculation).toBe(0);
      expect(world.ours.aborted).toBe(0);
    }
    // The world with nothing published: ours falls back to the guessed endpoints, the SDK finds none.
    const bare = results.worlds.find((w) => w.name === 'no-metadata');
    expect(bare?.ours.answer.kind).toBe('guessed');
    expect(bare?.sdk.answer.kind).toBe('none');

    expect(results.cache.warmRequests).toBe(0);
    expect(results.cache.fromCache).toBe(true);
    expect(results.cache.warmRuns).toBe(plan.cacheWarmRuns);
    expect(results.cache.coldRequests).toBeGreaterThan(0);

    // The CLI's file cache across two processes (when the CLI is built).
    if (results.crossProcess.note === undefined) {
      expect(results.crossProcess.firstRequests).toBeGreaterThan(0);
      expect(results.crossProcess.secondRequests).toBe(0);
      expect(results.crossProcess.fromCache).toBe(true);
    } else {
      expect(results.crossProcess.note).toMatch(/cli\.js/);
    }

    const shared = results.sharedDocuments;
    expect(shared.correct).toBe(true);
    expect(shared.runs).toBe(plan.worldRuns.runs);
    for (const cost of [shared.first, shared.second, shared.sdkSecond]) {
      expect(Number.isInteger(cost.requests)).toBe(true);
      expect(cost.medianMs).toBeGreaterThan(0);
    }
    // The second resource reuses the authorization server's metadata: only its own PRM is fetched.
    expect(shared.second.requests).toBeLessThan(shared.first.requests);

    expect(results.scale.discoveries).toBe(1000);
    expect(results.scale.resources).toBe(100);
    expect(results.scale.authorizationServers).toBe(10);
    expectScale(results.scale.ours);
    expectScale(results.scale.oursSpeculative);
    expectScale(results.scale.sdk);
    // Single flight and the cache: our 1,000 discoveries cost fewer requests than the SDK's 1,000.
    expect(results.scale.ours.requests).toBeLessThan(results.scale.sdk.requests);

    expect(results.cliStartMs).toBe(results.cliStart.medianMs);
    if (results.cliStartMs === null) expect(results.cliStart.note).toMatch(/cli\.js/);
    else expect(results.cliStartMs).toBeGreaterThan(0);

    // The JSON file is this object: it survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
    const table = formatResults(results);
    for (const world of benchWorlds) expect(table).toContain(world.name);
    expect(table).toContain('Warm cache');
    expect(table).toContain('Across processes');
    expect(table).toContain('Shared documents');
    expect(table).toContain('CLI cold start');
    expect(lines.length).toBe(results.worlds.length + 5);

    // What `pnpm bench` checks before it exits 0: nothing here, and each kind of problem when broken.
    expect(problemsIn(results)).toEqual([]);
    const [first, ...rest] = results.worlds;
    if (first === undefined) return;
    const broken: BenchResults = {
      ...results,
      worlds: [{ ...first, sdk: { ...first.sdk, correct: false } }, ...rest],
      cache: { ...results.cache, warmRequests: 3 },
      crossProcess: {
        world: results.crossProcess.world,
        latencyMs: 20,
        firstMs: 1,
        secondMs: 1,
        firstRequests: 2,
        secondRequests: 2,
        fromCache: false,
      },
      scale: { ...results.scale, ours: { ...results.scale.ours, failures: 2 } },
    };
    expect(problemsIn(broken)).toEqual([
      expect.stringContaining(`${first.name} @20 ms SDK: wrong answer`),
      'warm cache sent 3 requests',
      'cross-process: the second CLI run sent 2 requests',
      'scale ours: 2 discoveries failed',
    ]);
  }, 180_000);
});
