import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startWorld, unauthorized, type World } from '@oauth-discovery/testkit';
import { browserSkipReason, screenshotPage } from '@oauth-discovery/testkit/browser';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuiltCli } from './helpers.js';
import { atlassianWorld, type TestWorld } from './worlds.js';

requireBuiltCli();

const OUTPUT = new URL('../test-output/', import.meta.url);
let atlassian: TestWorld;
let nothing: World;
let dir: string;

beforeAll(async () => {
  atlassian = await atlassianWorld({ mcp: '127.0.0.2', as: '127.0.0.3' });
  nothing = await startWorld({
    origins: { mcp: { host: '127.0.0.7', routes: { '/mcp': unauthorized('Bearer realm="x"') } } },
  });
  dir = await mkdtemp(join(tmpdir(), 'oauth-discovery-cli-svg-'));
});

afterAll(async () => {
  await Promise.all([atlassian?.close(), nothing?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The attempt rows of a waterfall, in order: [method, url, status]. */
function attemptRows(svg: string): string[][] {
  expect(XMLValidator.validate(svg)).toBe(true);
  return [...svg.matchAll(/<g class="attempt [^"]*"[^>]*>/g)].map((m) => {
    const attr = (name: string) => new RegExp(` ${name}="([^"]*)"`).exec(m[0])?.[1] ?? '';
    return [attr('data-method'), attr('data-url'), attr('data-status'), attr('data-role')];
  });
}

describe('--svg', () => {
  it('discover --svg writes the waterfall of the discovery, the committing request marked', async () => {
    const file = join(dir, 'atlassian.svg');
    const result = await cli(['discover', atlassian.mcp.url, '--svg', file, '--json']);
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout) as {
      trace: { attempts: { url: string; status: number | null }[] }[];
    };
    const rows = attemptRows(await readFile(file, 'utf8'));
    const stepAttempts = answer.trace.flatMap((s) => s.attempts);
    expect(rows.slice(0, stepAttempts.length).map(([, url, status]) => [url, status])).toEqual(
      stepAttempts.map((a) => [a.url, String(a.status ?? '')]),
    );
    expect(rows.filter((r) => r[3] === 'committed').map((r) => r[1])).toEqual([
      `${atlassian.mcp.origin}/.well-known/oauth-authorization-server`,
    ]);
    expect(result.stderr).toContain(`waterfall of the discovery written to ${file}`);
  });

  it('discover --svg draws a failed discovery too (exit 1, the error code in the picture)', async () => {
    const file = join(dir, 'failed.svg');
    const result = await cli(['discover', nothing.url('mcp', '/mcp'), '--no-legacy-defaults', '--svg', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error DISCOVERY_FAILED:');
    const svg = await readFile(file, 'utf8');
    expect(attemptRows(svg).length).toBeGreaterThan(2);
    expect(svg).toContain('failed: DISCOVERY_FAILED');
  });

  it('check --svg writes the waterfall of its discovery', async () => {
    const file = join(dir, 'check.svg');
    const result = await cli(['check', atlassian.mcp.url, '--svg', file]);
    // Atlassian v1 has findings of severity error (no protected resource metadata): exit 1.
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Findings for');
    const rows = attemptRows(await readFile(file, 'utf8'));
    expect(rows.some((r) => r[3] === 'committed')).toBe(true);
  });

  it('a --svg path that cannot be written fails at once with INVALID_CONFIG (exit 2)', async () => {
    const file = join(dir, 'no-such-folder', 'x.svg');
    const result = await cli(['discover', atlassian.mcp.url, '--svg', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error INVALID_CONFIG: --svg ${file}: cannot write the file`);
    expect(existsSync(file)).toBe(false);
  });

  it('a command that fails before discovering leaves no file behind', async () => {
    const file = join(dir, 'unused.svg');
    const result = await cli([
      'discover',
      atlassian.mcp.url,
      '--config',
      join(dir, 'missing.yaml'),
      '--svg',
      file,
    ]);
    expect(result.code).toBe(2);
    expect(existsSync(file)).toBe(false);
    expect(result.stderr).toContain('not written');
  });
});

describe('--svg in a browser', () => {
  const skip = browserSkipReason();
  it.skipIf(skip !== undefined)(
    `headless Chromium opens the file discover --svg wrote and draws it (size, not blank)${skip === undefined ? '' : ` — skipped: ${skip}`}`,
    async () => {
      const file = join(dir, 'browser.svg');
      const result = await cli(['discover', atlassian.mcp.url, '--svg', file]);
      expect(result.code).toBe(0);
      const shot = await screenshotPage(
        pathToFileURL(file).href,
        new URL('discover-svg.png', OUTPUT).pathname,
      );
      expect(shot.width).toBe(1200);
      expect(shot.height).toBeGreaterThan(250);
      expect(shot.distinctColors).toBeGreaterThan(20);
    },
  );
});
