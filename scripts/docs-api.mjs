#!/usr/bin/env node
// `pnpm docs:api`: the API reference of every published package, generated from its TSDoc by TypeDoc (with
// typedoc-plugin-markdown) into docs/api/ (git-ignored: generate it when you need it; CI does not, it takes a
// few minutes). The entry points are read from each package's `exports` map (the `@oauth-discovery/source`
// condition), so a new package or subpath export is documented without editing this file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const SOURCE = '@oauth-discovery/source';

const entryPoints = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(ROOT, group)).map((name) => join(ROOT, group, name)))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .flatMap((dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (manifest.private === true) return [];
    return Object.values(manifest.exports ?? {})
      .map((target) => (typeof target === 'object' && target !== null ? target[SOURCE] : undefined))
      .filter((path) => typeof path === 'string')
      .map((path) => relative(ROOT, join(dir, path)));
  })
  .sort();

const args = [
  '--plugin',
  'typedoc-plugin-markdown',
  '--tsconfig',
  'tsconfig.docs.json',
  '--out',
  'docs/api',
  '--entryPointStrategy',
  'resolve',
  '--excludePrivate',
  '--excludeInternal',
  '--readme',
  'none',
  '--gitRevision',
  'main',
  ...entryPoints.flatMap((entry) => ['--entryPoints', entry]),
  ...process.argv.slice(2),
];
const PATH = [join(ROOT, 'node_modules', '.bin'), process.env.PATH].join(delimiter);
const result = spawnSync('typedoc', args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, PATH } });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
