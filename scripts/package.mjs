#!/usr/bin/env node
// The scripts every workspace package shares, defined once. Each package.json calls this file from its own folder:
//   "build": "node ../../scripts/package.mjs build"
// build      empties dist/ and compiles src/ with the package's tsconfig.build.json (tsconfig.package.build.json)
// typecheck  type-checks src/ and test/ with the package's tsconfig.json (tsconfig.package.json)
// test       runs the package's vitest project (named after its folder) from the root vitest config
// publint    publint --strict, then arethetypeswrong on the packed package (published packages only)
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const pkgDir = process.cwd();

/** @type {Record<string, (args: string[]) => void>} */
const tasks = {
  build: () => {
    rmSync(join(pkgDir, 'dist'), { recursive: true, force: true });
    run('tsc', ['-p', 'tsconfig.build.json']);
  },
  typecheck: () => run('tsc', ['-p', 'tsconfig.json']),
  test: (args) => run('vitest', ['run', '--root', ROOT, '--project', basename(pkgDir), ...args]),
  publint: () => {
    run('publint', ['--strict']);
    run('attw', ['--pack', '.', '--profile', 'esm-only']);
  },
};

/** Runs a tool installed at the repository root; exits with its status when it fails. */
function run(bin, args) {
  const PATH = [join(ROOT, 'node_modules', '.bin'), process.env.PATH].join(delimiter);
  const result = spawnSync(bin, args, { cwd: pkgDir, stdio: 'inherit', env: { ...process.env, PATH } });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const [task, ...rest] = process.argv.slice(2);
const handler = task === undefined ? undefined : tasks[task];
if (handler === undefined) {
  console.error(`usage: node scripts/package.mjs <${Object.keys(tasks).join('|')}> (from a package folder)`);
  process.exit(2);
}
handler(rest);
