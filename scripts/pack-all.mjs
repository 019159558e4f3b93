#!/usr/bin/env node
// `pnpm pack:all`: builds every published package (not private ones) and packs each into dist-packs/ (git-ignored)
// with `pnpm pack`, which replaces `workspace:` ranges by the real versions. Writes dist-packs/install.json:
// for each package, its tarball and the tarballs of every workspace package it needs (dependencies and peer
// dependencies, transitively), so that one `npm install` of those files installs it without the registry
// having any @oauth-discovery package (third-party dependencies still come from the npm registry or cache).
//
//   pnpm pack:all                 build, then pack into dist-packs/
//   pnpm pack:all --no-build      pack what is built (dist/ must be up to date)
//   pnpm pack:all --out <dir>     another folder
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const OUT = resolve(outIndex === -1 ? join(ROOT, 'dist-packs') : (args[outIndex + 1] ?? 'dist-packs'));
const build = !args.includes('--no-build');

/** Every workspace package that is published: its folder, manifest and tarball name. */
const published = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(ROOT, group)).map((name) => join(ROOT, group, name)))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => manifest.private !== true)
  .map((pkg) => ({ ...pkg, tarball: tarballName(pkg.manifest) }));
const byName = new Map(published.map((pkg) => [pkg.manifest.name, pkg]));

/** The file name `pnpm pack` gives a package: `@scope/name` 1.2.3 → `scope-name-1.2.3.tgz`. */
function tarballName(manifest) {
  return `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`;
}

/** A package and the published workspace packages it needs, transitively. */
function closure(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  const pkg = byName.get(name);
  if (pkg === undefined) throw new Error(`${name} is a workspace dependency but not published (private?)`);
  seen.add(name);
  const { dependencies = {}, peerDependencies = {} } = pkg.manifest;
  for (const [dep, range] of Object.entries({ ...dependencies, ...peerDependencies }))
    if (String(range).startsWith('workspace:')) closure(dep, seen);
  return seen;
}

function run(command, commandArgs) {
  const PATH = [join(ROOT, 'node_modules', '.bin'), process.env.PATH].join(delimiter);
  const result = spawnSync(command, commandArgs, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, PATH },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** pnpm as the one running this script (`pnpm pack:all`), else the version package.json pins. */
function pnpm(pnpmArgs) {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm for the script it runs, not a turbo input
  const execPath = process.env.npm_execpath;
  if (execPath?.includes('pnpm')) return run(process.execPath, [execPath, ...pnpmArgs]);
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).packageManager.split('@')[1];
  run('npx', ['--yes', `pnpm@${version}`, ...pnpmArgs]);
}

const filters = published.flatMap(({ manifest }) => [`--filter=${manifest.name}`]);
// Through pnpm: turbo needs a pnpm binary on PATH, which `npx pnpm@…` provides.
if (build) pnpm(['exec', 'turbo', 'run', 'build', ...filters, '--output-logs=errors-only']);
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
pnpm(['--recursive', ...filters, 'pack', '--pack-destination', OUT]);

const install = Object.fromEntries(
  published.map(({ manifest }) => [
    manifest.name,
    [...closure(manifest.name)].map((name) => byName.get(name)?.tarball).sort(),
  ]),
);
for (const { manifest, tarball } of published)
  if (!existsSync(join(OUT, tarball))) throw new Error(`pnpm pack wrote no ${tarball} for ${manifest.name}`);
writeFileSync(join(OUT, 'install.json'), `${JSON.stringify(install, null, 2)}\n`);
const cli = install['@oauth-discovery/cli'] ?? [];
console.log(
  `\n${published.length} tarballs in ${OUT}; dist-packs/install.json lists what each package needs.`,
);
console.log(`The CLI, in another folder:\n  npm install ${cli.map((file) => join(OUT, file)).join(' ')}`);
