import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type ChartInput, renderBenchChart } from './chart.js';

/** `bench/results.json` and the chart drawn from it. */
const RESULTS_JSON = fileURLToPath(new URL('../results.json', import.meta.url));
const RESULTS_SVG = fileURLToPath(new URL('../results.svg', import.meta.url));

/** Redraws `bench/results.svg` from the committed `bench/results.json`, without running the benchmark. */
async function main(): Promise<void> {
  const results = JSON.parse(await readFile(RESULTS_JSON, 'utf8')) as ChartInput;
  await writeFile(RESULTS_SVG, `${renderBenchChart(results)}\n`);
  process.stdout.write(`wrote ${RESULTS_SVG}\n`);
}

await main();
