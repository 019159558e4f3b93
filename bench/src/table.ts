import type { BenchResults, ContenderResult, WorldResult } from './types.js';

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
    .join('  ');
}

function grid(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [pad(header, widths), rule, ...rows.map((row) => pad(row, widths))].join('\n');
}

function cell(result: ContenderResult): string {
  return `${result.medianMs.toFixed(1)} ms / ${result.requests}${result.correct ? '' : ' ✗'}`;
}

/** `1.00×`: how many times faster ours (default mode) is than the SDK (SDK median / ours median). */
export function speedup(world: WorldResult): number {
  return world.sdk.medianMs / world.ours.medianMs;
}

/** The same for the speculative mode. */
export function speculativeSpeedup(world: WorldResult): number {
  return world.sdk.medianMs / world.oursSpeculative.medianMs;
}

/** One row per world and latency: median ms / requests of each contender, the ideal, the speed-up. */
export function formatWorldTable(worlds: readonly WorldResult[]): string {
  return grid(
    [
      'world',
      'latency',
      'ideal',
      'ours',
      'ours --speculate',
      'SDK',
      'SDK ÷ ours',
      'SDK ÷ spec.',
      'unused spec.',
    ],
    worlds.map((w) => [
      w.name,
      `${w.latencyMs} ms`,
      `${w.idealMs} ms`,
      cell(w.ours),
      cell(w.oursSpeculative),
      cell(w.sdk),
      `${speedup(w).toFixed(2)}×`,
      `${speculativeSpeedup(w).toFixed(2)}×`,
      `${w.oursSpeculative.unusedSpeculation} (${w.oursSpeculative.aborted} aborted)`,
    ]),
  );
}

/** The whole report: worlds, cache, scale, CLI start, as plain text for stdout. */
export function formatResults(results: BenchResults): string {
  const { machine, cache, crossProcess: cross, sharedDocuments: shared, scale, cliStart } = results;
  const scaleRows = (['ours', 'oursSpeculative', 'sdk'] as const).map((key) => {
    const s = scale[key];
    const names = { ours: 'ours', oursSpeculative: 'ours --speculate', sdk: 'SDK' };
    return [
      names[key],
      `${s.wallMs.toFixed(1)} ms`,
      String(s.requests),
      String(s.failures),
      `${s.peakRssMb} MiB`,
      `${s.peakHeapDeltaMb} MiB`,
    ];
  });
  return [
    `oauth-discovery benchmark (${results.mode}) — ${results.date}`,
    `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.os}; servers: ${results.servers}`,
    `load average (1/5/15 min): ${results.load.start.join(' ')} at the start, ${results.load.end.join(' ')} at the end`,
    '',
    'Discovery from the 401, median wall time / requests the servers received (✗ = wrong answer)',
    formatWorldTable(results.worlds),
    '',
    `Warm cache (${cache.world}, ${cache.latencyMs} ms): cold ${cache.coldMs} ms / ${cache.coldRequests} requests; ` +
      `warm median ${cache.warmMedianMs} ms, ${cache.warmRequests} requests in ${cache.warmRuns} runs` +
      `${cache.fromCache ? '' : ' (NOT all from cache)'}`,
    '',
    cross.note === undefined
      ? `Across processes (${cross.world}, ${cross.latencyMs} ms, the CLI run twice): first ${cross.firstMs} ms / ` +
        `${cross.firstRequests} requests, second ${cross.secondMs} ms / ${cross.secondRequests} requests` +
        `${cross.fromCache ? ' (from the file cache)' : ' (NOT from cache)'}`
      : `Across processes: ${cross.note}`,
    '',
    `Shared documents (${shared.latencyMs} ms, median of ${shared.runs}): first resource on a new pipeline ` +
      `${shared.first.medianMs} ms / ${shared.first.requests} requests; a second resource behind the same ` +
      `authorization server ${shared.second.medianMs} ms / ${shared.second.requests} ` +
      `(SDK: ${shared.sdkSecond.medianMs} ms / ${shared.sdkSecond.requests})` +
      `${shared.correct ? '' : ' (WRONG ANSWER)'}`,
    '',
    `Scale: ${scale.discoveries} concurrent discoveries of ${scale.resources} resources behind ` +
      `${scale.authorizationServers} authorization servers, ${scale.latencyMs} ms latency, ` +
      `median of ${scale.rounds} round(s); ours is one pipeline per round`,
    grid(['contender', 'wall time', 'requests', 'failures', 'peak RSS', 'peak heap Δ'], scaleRows),
    '',
    cliStart.medianMs === null
      ? `CLI cold start: ${cliStart.note ?? 'skipped'} (node -e '' takes ${cliStart.nodeBaselineMs} ms)`
      : `CLI cold start (--version): ${cliStart.medianMs} ms median of ${cliStart.runs} (node -e '' takes ${cliStart.nodeBaselineMs} ms)`,
  ].join('\n');
}
