import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isDiscoveryError } from '@oauth-discovery/core';
import { parseArgs, USAGE } from './args.js';
import { planFor, runBench } from './bench.js';
import { renderBenchChart } from './chart.js';
import { problemsIn } from './check.js';
import { formatResults } from './table.js';

/** Where `--json` writes: `bench/results.json`. */
const RESULTS_PATH = fileURLToPath(new URL('../results.json', import.meta.url));
/** And the chart of the same results: `bench/results.svg`. */
const CHART_PATH = fileURLToPath(new URL('../results.svg', import.meta.url));

async function main(argv: readonly string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!isDiscoveryError(error)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const results = await runBench(planFor(args.quick), (line) => process.stderr.write(`  ${line}\n`));
  process.stdout.write(`\n${formatResults(results)}\n`);
  const problems = problemsIn(results);
  if (problems.length > 0) {
    process.stderr.write(
      `\nthe results are not meaningful:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`,
    );
    return 1;
  }
  if (args.json) {
    await writeFile(RESULTS_PATH, `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(CHART_PATH, `${renderBenchChart(results)}\n`);
    process.stdout.write(`\nwrote ${RESULTS_PATH} and ${CHART_PATH}\n`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
