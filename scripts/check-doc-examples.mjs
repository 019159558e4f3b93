#!/usr/bin/env node
// Type-checks every TypeScript example in the documentation against the current source.
//
//   pnpm check:docs [--keep]
//
// Reads README.md, packages/*/README.md, apps/*/README.md, bench/README.md and docs/*.md; takes every fenced code block whose info string starts with `ts` or
// `typescript`; writes each as its own ES module into .doc-examples/ (git-ignored) with a tsconfig that
// extends tsconfig.base.json, so workspace packages resolve to their source through the
// `@oauth-discovery/source` export condition; runs ONE `tsc --noEmit` over all of them and reports each
// error as `file.md:line: error TS…`, at the Markdown line it comes from. Exits 1 on any error.
// --keep leaves .doc-examples/ in place to inspect; otherwise it is removed.
//
// An example must stand alone: it imports what it uses by package name (as a reader would) and declares
// what the reader supplies (`declare const response: Response;`). A block that cannot stand alone — a
// partial object literal, a list of signatures — is marked as a fragment and skipped, by an HTML comment
// (invisible when rendered) on the line directly before its opening fence:
//
//   <!-- fragment -->
//   ```ts
//   { issuer: 'https://as.example.com', source: 'static-config' }
//   ```
//
// Relative imports (`./src/bench.js`) resolve from the Markdown file's folder. Every module in the
// examples' node_modules is a link: each workspace package under its name, and the direct dependencies
// of the workspace packages (`openid-client`, `@modelcontextprotocol/sdk`, …), as a reader would install.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, '.doc-examples');
const FRAGMENT = /^\s*<!--\s*fragment\b[^>]*-->\s*$/i;
const FENCE = /^( {0,3}|\s*)(`{3,}|~{3,})\s*([^`\s]*)/;
const WORKSPACE_GROUPS = ['packages', 'apps'];

const toPosix = (path) => path.split(sep).join('/');

function subfolders(folder) {
  const full = join(ROOT, folder);
  if (!existsSync(full)) return [];
  return readdirSync(full, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
    .map((entry) => `${folder}/${entry.name}`)
    .sort();
}

function markdownFiles() {
  const files = ['README.md', 'bench/README.md'];
  for (const group of WORKSPACE_GROUPS) for (const dir of subfolders(group)) files.push(`${dir}/README.md`);
  if (existsSync(join(ROOT, 'docs')))
    for (const name of readdirSync(join(ROOT, 'docs')).sort())
      if (name.endsWith('.md')) files.push(`docs/${name}`);
  return files.filter((file) => existsSync(join(ROOT, file)));
}

/** The fenced `ts`/`typescript` blocks of one Markdown file, with the 1-based line of the opening fence. */
function extractBlocks(file) {
  const lines = readFileSync(join(ROOT, file), 'utf8').split(/\r?\n/);
  const blocks = [];
  let open;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (open === undefined) {
      const match = FENCE.exec(line);
      if (match === null) continue;
      const [, indent, marker, info] = match;
      open = {
        indent: indent.length,
        char: marker[0],
        length: marker.length,
        lang: info.toLowerCase(),
        fenceLine: i + 1,
        fragment: i > 0 && FRAGMENT.test(lines[i - 1]),
        body: [],
      };
      continue;
    }
    const close = /^\s*(`{3,}|~{3,})\s*$/.exec(line);
    if (close !== null && close[1][0] === open.char && close[1].length >= open.length) {
      if (open.lang === 'ts' || open.lang === 'typescript') blocks.push({ file, ...open });
      open = undefined;
      continue;
    }
    // Content indented like its fence (a fence inside a list item) loses that indentation.
    const strip = Math.min(open.indent, line.length - line.trimStart().length);
    open.body.push(line.slice(strip));
  }
  return blocks;
}

/** Relative imports in an example are written from the Markdown file's folder; make them work from OUT. */
function rebaseRelativeImports(code, file) {
  return code.replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g,
    (_all, lead, quote, specifier) => {
      let rebased = toPosix(relative(OUT, resolve(ROOT, dirname(file), specifier)));
      if (!rebased.startsWith('.')) rebased = `./${rebased}`;
      return `${lead}${quote}${rebased}${quote}`;
    },
  );
}

function link(target, path) {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path, 'junction');
}

/** node_modules for the examples: every workspace package by name, then its packages' direct dependencies. */
function linkModules() {
  const modules = join(OUT, 'node_modules');
  const workspace = [...WORKSPACE_GROUPS.flatMap(subfolders), 'bench'].filter((dir) =>
    existsSync(join(ROOT, dir, 'package.json')),
  );
  for (const dir of workspace) {
    const { name } = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
    if (typeof name === 'string') link(join(ROOT, dir), join(modules, name));
  }
  for (const dir of workspace) {
    const own = join(ROOT, dir, 'node_modules');
    if (!existsSync(own)) continue;
    for (const entry of readdirSync(own)) {
      if (entry.startsWith('.')) continue;
      const names = entry.startsWith('@')
        ? readdirSync(join(own, entry)).map((n) => `${entry}/${n}`)
        : [entry];
      for (const name of names) {
        const target = join(own, name);
        if (existsSync(target)) link(realpathSync(target), join(modules, name));
      }
    }
  }
}

function moduleName(block) {
  return `${block.file.replace(/\.md$/i, '').replace(/[^A-Za-z0-9]+/g, '-')}-L${block.fenceLine}.ts`;
}

function prepare(blocks) {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'package.json'), `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`);
  const tsconfig = {
    extends: toPosix(relative(OUT, join(ROOT, 'tsconfig.base.json'))),
    compilerOptions: { noEmit: true, declaration: false, declarationMap: false, moduleDetection: 'force' },
    include: ['*.ts'],
  };
  writeFileSync(join(OUT, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  linkModules();
  const byModule = new Map();
  for (const block of blocks) {
    const name = moduleName(block);
    byModule.set(name, block);
    writeFileSync(join(OUT, name), `${rebaseRelativeImports(block.body.join('\n'), block.file)}\n`);
  }
  return byModule;
}

/** `tsc --pretty false` diagnostics, `path(line,col): error TSn: message` plus indented continuation lines. */
function report(output, byModule) {
  const messages = [];
  for (const line of output.split(/\r?\n/)) {
    const located = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+: .*)$/.exec(line);
    if (located !== null) {
      const [, path, row, , kind, text] = located;
      const absolute = isAbsolute(path) ? path : resolve(ROOT, path);
      const block = dirname(absolute) === OUT ? byModule.get(absolute.slice(OUT.length + 1)) : undefined;
      const where =
        block === undefined
          ? `${toPosix(relative(ROOT, absolute))}:${row}`
          : `${block.file}:${block.fenceLine + Number(row)}`;
      messages.push(`${where}: ${kind} ${text}`);
    } else if (/^\s/.test(line) && messages.length > 0 && line.trim() !== '') {
      messages[messages.length - 1] += `\n${line}`;
    } else if (line.trim() !== '') {
      messages.push(line);
    }
  }
  return messages;
}

const started = performance.now();
const keep = process.argv.includes('--keep');
const files = markdownFiles();
const all = files.flatMap(extractBlocks);
const blocks = all.filter((block) => !block.fragment);
const fragments = all.length - blocks.length;
let exitCode = 0;
try {
  const byModule = prepare(blocks);
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '-p', OUT], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error !== undefined) throw run.error;
  const messages = report(`${run.stdout}${run.stderr}`, byModule);
  for (const message of messages) process.stderr.write(`${message}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const summary = `${blocks.length} TypeScript examples in ${files.length} Markdown files, ${fragments} fragments skipped`;
  if (run.status !== 0 || messages.length > 0) {
    exitCode = 1;
    process.stderr.write(`check-doc-examples: ${summary}: ${messages.length} errors (${seconds} s)\n`);
  } else {
    process.stdout.write(`check-doc-examples: ${summary}: all compile (${seconds} s)\n`);
  }
} finally {
  if (!keep) rmSync(OUT, { recursive: true, force: true });
}
process.exitCode = exitCode;
