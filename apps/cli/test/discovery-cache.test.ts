import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startWorld, type World } from '@oauth-discovery/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuiltCli, tempHome } from './helpers.js';
import { prmWorld, type TestWorld } from './worlds.js';

requireBuiltCli();

let compliant: TestWorld;
let nothing: World;
const homes: Array<{ dir: string; remove(): Promise<void> }> = [];

beforeAll(async () => {
  compliant = await prmWorld({ mcp: '127.0.2.2', as: '127.0.2.3' });
  nothing = await startWorld({
    origins: { mcp: { host: '127.0.2.4', routes: { '/mcp': { status: 401 } } } },
  });
});
afterAll(async () => {
  await Promise.all([compliant?.close(), nothing?.close()]);
});
afterEach(async () => {
  await Promise.all(homes.splice(0).map((home) => home.remove()));
});

async function home(): Promise<string> {
  const created = await tempHome();
  homes.push(created);
  return created.dir;
}

/** Requests both servers of the compliant world have seen so far. */
function compliantRequests(): number {
  return compliant.mcp.requests.length + compliant.as.requests.length;
}

async function discoverJson(
  url: string,
  dir: string,
  ...flags: string[]
): Promise<{ code: number | null; json: Record<string, unknown> }> {
  const result = await cli(['discover', url, '--json', ...flags], { OAUTH_DISCOVERY_HOME: dir });
  return { code: result.code, json: JSON.parse(result.stdout) as Record<string, unknown> };
}

describe('the discovery cache outlives the process', () => {
  it('a second discover run in another process makes 0 requests; --no-cache asks again', async () => {
    const dir = await home();
    const before = compliantRequests();
    const first = await discoverJson(compliant.mcp.url, dir);
    expect(first.code).toBe(0);
    expect(first.json.fromCache).toBe(false);
    const afterFirst = compliantRequests();
    expect(afterFirst).toBeGreaterThan(before);

    const second = await discoverJson(compliant.mcp.url, dir);
    expect(second.code).toBe(0);
    expect(second.json.fromCache).toBe(true);
    expect(second.json.authorizationServer).toEqual(first.json.authorizationServer);
    expect(compliantRequests()).toBe(afterFirst);

    const bypass = await discoverJson(compliant.mcp.url, dir, '--no-cache');
    expect(bypass.json.fromCache).toBe(false);
    expect(compliantRequests()).toBeGreaterThan(afterFirst);

    // One file per entry, readable by the user alone, in a directory only the user can enter.
    const cacheDir = join(dir, 'discovery-cache');
    const files = await readdir(cacheDir);
    expect(files.length).toBe(1);
    expect((await stat(join(cacheDir, files[0] as string))).mode & 0o777).toBe(0o600);
    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
  });

  it('a guess is never cached: the second run asks again', async () => {
    const dir = await home();
    const first = await discoverJson(nothing.url('mcp', '/mcp'), dir);
    expect(first.json.guessed).toBe(true);
    const seen = nothing.requests.length;
    const second = await discoverJson(nothing.url('mcp', '/mcp'), dir);
    expect(second.json.guessed).toBe(true);
    expect(second.json.fromCache).toBe(false);
    expect(nothing.requests.length).toBeGreaterThan(seen);
  });

  it('a plain miss (every URL 404, --no-guess) is cached briefly: the second run makes 0 requests', async () => {
    const dir = await home();
    const first = await discoverJson(nothing.url('mcp', '/mcp'), dir, '--no-guess');
    expect(first.code).toBe(1);
    expect((first.json.error as { code: string }).code).toBe('DISCOVERY_FAILED');
    const seen = nothing.requests.length;
    const second = await discoverJson(nothing.url('mcp', '/mcp'), dir, '--no-guess');
    expect((second.json.error as { code: string }).code).toBe('DISCOVERY_FAILED');
    expect(nothing.requests.length).toBe(seen);
    // Other flags, other entries: without --no-guess the cached miss is not the answer.
    const guessing = await discoverJson(nothing.url('mcp', '/mcp'), dir);
    expect(guessing.json.guessed).toBe(true);
  });
});
