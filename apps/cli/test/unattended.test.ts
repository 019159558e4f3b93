import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuiltCli, tempHome } from './helpers.js';
import { prmWorld, type TestWorld } from './worlds.js';

requireBuiltCli();

// The CLI runs here as in CI or under another program: stdin is not a terminal, stdout and stderr are pipes.

let world: TestWorld;
let home: Awaited<ReturnType<typeof tempHome>>;
let env: Record<string, string>;

beforeAll(async () => {
  world = await prmWorld({ mcp: '127.0.4.2', as: '127.0.4.3' });
  home = await tempHome();
  env = { OAUTH_DISCOVERY_HOME: home.dir };
});

afterAll(async () => {
  await world?.close();
  await home?.remove();
});

const frontChannel = () => world.as.count('/authorize') + world.as.count('/register');

describe('login and tools with nobody to answer a browser', () => {
  it('login without a terminal: LOGIN_REQUIRED (exit 4) before any request, saying what to do', async () => {
    const result = await cli(['login', world.mcp.url], env);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^error LOGIN_REQUIRED: Cannot log in to \S+: nobody can answer/m);
    for (const way of [
      'oauth-discovery login',
      '--headless',
      '--grant client_credentials',
      '--interactive',
    ]) {
      expect(result.stderr).toContain(way);
    }
    expect(world.mcp.requests).toHaveLength(0);
    expect(frontChannel()).toBe(0);
  });

  it('login --no-interactive says so, and --headless still logs in with it', async () => {
    const refused = await cli(['login', world.mcp.url, '--no-interactive', '--json'], env);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('(--no-interactive)');
    expect(refused.stderr).not.toContain('--interactive waits');
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'LOGIN_REQUIRED' } });

    const headless = await cli(['login', world.mcp.url, '--no-interactive', '--headless'], env);
    expect(headless.code).toBe(0);
    expect(headless.stdout).toContain('Logged in');
  });

  it('tools --no-interactive uses the stored tokens without asking anyone', async () => {
    const before = frontChannel();
    const result = await cli(['tools', world.mcp.url, '--no-interactive', '--json'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ issuer: world.as.issuer });
    expect(frontChannel()).toBe(before);
  });

  it('tools without tokens and without a terminal: LOGIN_REQUIRED (exit 4) and a hint, no authorization started', async () => {
    const empty = await tempHome();
    try {
      const before = frontChannel();
      const result = await cli(['tools', world.mcp.url], { OAUTH_DISCOVERY_HOME: empty.dir });
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/^error LOGIN_REQUIRED: /m);
      expect(result.stderr).toMatch(
        /^hint: nobody can answer a browser sign-in here \(stdin or stderr is not a terminal\)/m,
      );
      expect(frontChannel()).toBe(before);
    } finally {
      await empty.remove();
    }
  });
});
