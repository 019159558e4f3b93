/**
 * `pnpm pack:all` for real: every published package packed into one folder, then the CLI installed with npm
 * into an empty project from those tarballs alone (third-party dependencies from the npm registry or its
 * cache; no @oauth-discovery package is on the registry, so a `workspace:` range left in a tarball, or a
 * workspace dependency missing from the folder, fails the install). Slow: one build (cached by turbo after
 * `pnpm test`'s), one pack, one npm install.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
const MINUTES = 60_000;

let work: string;
let packs: string;
let project: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pack-all-'));
  packs = join(work, 'packs');
  project = join(work, 'project');
  await run(process.execPath, [join(ROOT, 'scripts/pack-all.mjs'), '--out', packs], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
}, 20 * MINUTES);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('pnpm pack:all', { timeout: 10 * MINUTES }, () => {
  it('packs every published package with workspace ranges replaced, and no private one', async () => {
    const install: Record<string, string[]> = JSON.parse(await readFile(join(packs, 'install.json'), 'utf8'));
    expect(Object.keys(install)).toContain('@oauth-discovery/cli');
    expect(Object.keys(install)).toContain('oauth-discovery');
    expect(Object.keys(install)).not.toContain('@oauth-discovery/testkit');
    const { stdout } = await run('tar', [
      '-xOzf',
      join(packs, 'oauth-discovery-cli-0.0.0.tgz'),
      'package/package.json',
    ]);
    const manifest = JSON.parse(stdout) as { dependencies: Record<string, string> };
    expect(Object.values(manifest.dependencies).filter((range) => range.startsWith('workspace:'))).toEqual(
      [],
    );
    expect(manifest.dependencies['@oauth-discovery/core']).toBe('^0.0.0');
  });

  it('installs the CLI with npm from the tarballs beside it; the command and one copy of core work', async () => {
    const install: Record<string, string[]> = JSON.parse(await readFile(join(packs, 'install.json'), 'utf8'));
    const tarballs = (install['@oauth-discovery/cli'] ?? []).map((file) => join(packs, file));
    await run('mkdir', ['-p', project]);
    await writeFile(
      join(project, 'package.json'),
      '{ "name": "fresh", "private": true, "type": "module" }\n',
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], {
      cwd: project,
      maxBuffer: 64 * 1024 * 1024,
    });

    const cliVersion = JSON.parse(await readFile(join(ROOT, 'apps/cli/package.json'), 'utf8')).version;
    const version = await run(join(project, 'node_modules/.bin/oauth-discovery'), ['--version'], {
      cwd: project,
    });
    expect(version.stdout.trim()).toBe(cliVersion);

    // The facade and core resolve to one copy of core: its error class is the one discover() throws.
    const script = [
      "import { discover } from 'oauth-discovery';",
      "import { DiscoveryError } from '@oauth-discovery/core';",
      "const error = await discover('not a url').catch((e) => e);",
      'console.log(JSON.stringify({ same: error instanceof DiscoveryError, code: error.code }));',
    ].join('\n');
    const imported = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
    expect(JSON.parse(imported.stdout)).toEqual({ same: true, code: 'INVALID_URL' });
  });
});
