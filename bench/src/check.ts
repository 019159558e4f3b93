import type { BenchResults, ContenderResult } from './types.js';

function contenderProblems(where: string, result: ContenderResult): string[] {
  const problems: string[] = [];
  if (!Number.isFinite(result.medianMs) || result.medianMs <= 0)
    problems.push(`${where}: median ${result.medianMs}`);
  if (!Number.isInteger(result.requests) || result.requests <= 0)
    problems.push(`${where}: ${result.requests} requests`);
  if (!result.correct) problems.push(`${where}: wrong answer (${JSON.stringify(result.answer)})`);
  return problems;
}

/**
 * What is wrong with a run's results — never a timing, only what makes a result meaningless: a
 * contender that found the wrong thing, a number that is not one, a warm cache that asked a server,
 * failed discoveries at scale. `pnpm bench` exits 1 when this is not empty (CI runs `--quick`).
 */
export function problemsIn(results: BenchResults): string[] {
  const problems = results.worlds.flatMap((world) => [
    ...contenderProblems(`${world.name} @${world.latencyMs} ms ours`, world.ours),
    ...contenderProblems(`${world.name} @${world.latencyMs} ms ours --speculate`, world.oursSpeculative),
    ...contenderProblems(`${world.name} @${world.latencyMs} ms SDK`, world.sdk),
  ]);
  if (results.worlds.length === 0) problems.push('no world was measured');
  if (results.cache.warmRequests !== 0)
    problems.push(`warm cache sent ${results.cache.warmRequests} requests`);
  if (results.crossProcess.note === undefined && results.crossProcess.secondRequests !== 0)
    problems.push(`cross-process: the second CLI run sent ${results.crossProcess.secondRequests} requests`);
  if (!results.sharedDocuments.correct) problems.push('shared documents: wrong answer');
  for (const [name, scale] of [
    ['ours', results.scale.ours],
    ['ours --speculate', results.scale.oursSpeculative],
    ['SDK', results.scale.sdk],
  ] as const) {
    if (scale.failures !== 0) problems.push(`scale ${name}: ${scale.failures} discoveries failed`);
  }
  return problems;
}
