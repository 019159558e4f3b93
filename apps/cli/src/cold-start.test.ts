import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Value imports (not `import type`) of a source file: `[specifier, ...]`. */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)';/gms)) {
    if (match[1] !== undefined) specifiers.push(match[1]);
  }
  return specifiers;
}

/** Every package a module loads before any command runs: static value imports, followed through relative files. */
function staticPackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of valueImports(file)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return packages;
}

describe('cold start', () => {
  it('--version and --help load only commander and Node built-ins; commands are imported on demand', () => {
    const packages = [...staticPackages(join(SRC, 'cli.ts'))];
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    expect(packages.filter((name) => !builtins.has(name))).toEqual(['commander']);
  });

  it('the command modules themselves do load the libraries (the check above is not vacuous)', () => {
    expect(staticPackages(join(SRC, 'commands', 'discover.ts')).has('oauth-discovery')).toBe(true);
  });
});
