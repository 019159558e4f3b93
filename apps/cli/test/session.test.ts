import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type McpServerHandle,
  type OidcProviderHandle,
  startMcpServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuiltCli, tempHome } from './helpers.js';
import { atlassianWorld, githubLikeWorld, prmWorld, type TestWorld } from './worlds.js';

requireBuiltCli();

let home: Awaited<ReturnType<typeof tempHome>>;
let env: Record<string, string>;
let atlassian: TestWorld;
let github: TestWorld;
let stepUp: TestWorld;
let stepUpForever: TestWorld;
let noPkce: TestWorld;
let oidc: OidcProviderHandle;
let oidcMcp: McpServerHandle;

beforeAll(async () => {
  home = await tempHome();
  env = { OAUTH_DISCOVERY_HOME: home.dir };
  let resourceUrl = '';
  [atlassian, github, stepUp, stepUpForever, noPkce, oidc] = await Promise.all([
    atlassianWorld({ mcp: '127.0.2.2', as: '127.0.2.3' }),
    githubLikeWorld({ mcp: '127.0.2.4', as: '127.0.2.5' }),
    prmWorld({ mcp: '127.0.2.6', as: '127.0.2.7' }, {}, { toolScopes: { whoami: ['mcp:admin'] } }),
    // The resource never sees the admin scope, however often the client steps up.
    prmWorld({ mcp: '127.0.2.8', as: '127.0.2.9' }, {}, (as) => ({
      toolScopes: { whoami: ['mcp:admin'] },
      verifyToken: async (token) => {
        const info = await as.introspect(token);
        return info && { ...info, scopes: info.scopes.filter((scope) => scope !== 'mcp:admin') };
      },
    })),
    prmWorld({ mcp: '127.0.2.10', as: '127.0.2.11' }, { pkceAdvertised: false }),
    startOidcProvider({
      host: '127.0.2.12',
      resourceServers: (resource) => (resource === resourceUrl ? { scope: 'mcp:tools' } : undefined),
    }),
  ]);
  oidcMcp = await startMcpServer({
    host: '127.0.2.13',
    verifyToken: (token) => oidc.verifyAccessToken(token, resourceUrl),
    resourceMetadata: {
      authorizationServers: [oidc.issuer],
      scopesSupported: ['mcp:tools', 'offline_access'],
    },
  });
  resourceUrl = oidcMcp.url;
});

afterAll(async () => {
  await Promise.all([atlassian, github, stepUp, stepUpForever, noPkce, oidcMcp, oidc].map((w) => w?.close()));
  await home?.remove();
});

describe('tools, login and logout against the Atlassian-shaped world', () => {
  it('tools --headless --call echo: registers, authorizes, lists and calls (exit 0)', async () => {
    const result = await cli(
      ['tools', atlassian.mcp.url, '--headless', '--call', 'echo', '--args', '{"text":"hi from the test"}'],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`3 tools at ${atlassian.mcp.url} (authorized by ${atlassian.as.issuer})`);
    expect(result.stdout).toMatch(/^ {2}echo +Returns the text/m);
    expect(result.stdout).toContain('hi from the test');
    expect(result.stderr).toContain(`discovered: issuer ${atlassian.as.issuer} (adopted)`);
    expect(result.stderr).toContain('(dynamic, registered now)');
    expect(result.stderr).toContain(`authorized by ${atlassian.as.issuer}`);
    // The milestones, not the discovery steps one by one.
    expect(result.stderr).not.toContain('rfc9728');
    expect(atlassian.as.count('/authorize')).toBe(1);
    expect(atlassian.as.resourcesSeen).toEqual([atlassian.mcp.url, atlassian.mcp.url]);
  });

  it('tools --json reuses the stored tokens (no new authorization) and prints the documented shape', async () => {
    const result = await cli(
      ['tools', atlassian.mcp.url, '--headless', '--json', '--call', 'add', '--args', '{"a":2,"b":3}'],
      env,
    );
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['call', 'issuer', 'resource', 'tools']);
    expect(json.issuer).toBe(atlassian.as.issuer);
    expect((json.tools as { name: string }[]).map((t) => t.name).sort()).toEqual(['add', 'echo', 'whoami']);
    expect(json.call).toMatchObject({
      tool: 'add',
      arguments: { a: 2, b: 3 },
      isError: false,
      structuredContent: { sum: 5 },
    });
    expect(atlassian.as.count('/authorize')).toBe(1);
  });

  it('the token store holds 0600 files in a 0700 directory', async () => {
    const files = await readdir(home.dir);
    expect(files.length).toBeGreaterThan(0);
    expect((await stat(home.dir)).mode & 0o777).toBe(0o700);
    for (const file of files)
      expect(((await stat(join(home.dir, file))).mode & 0o777).toString(8)).toBe('600');
  });

  it('login authorizes again and stores; logout deletes; a tool call that fails exits 1', async () => {
    const login = await cli(['login', atlassian.mcp.url, '--headless', '--json'], env);
    expect(login.code).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({
      resource: atlassian.mcp.url,
      issuer: atlassian.as.issuer,
      refreshToken: true,
      store: home.dir,
    });
    expect(login.stdout).not.toMatch(/access_?token/i);
    expect(atlassian.as.count('/authorize')).toBe(2);

    const unknownTool = await cli(['tools', atlassian.mcp.url, '--headless', '--call', 'nope'], env);
    expect(unknownTool.code).toBe(1);
    expect(unknownTool.stderr).toContain('error TOOL_ERROR: tool nope answered with an error');
    // The tool's answer is shown once: on stdout in human output.
    expect(`${unknownTool.stdout}${unknownTool.stderr}`.match(/Tool nope not found/g)).toHaveLength(1);
    const unknownJson = await cli(['tools', atlassian.mcp.url, '--json', '--call', 'nope'], env);
    expect(unknownJson.code).toBe(1);
    expect(JSON.parse(unknownJson.stdout)).toMatchObject({ call: { tool: 'nope', isError: true } });
    expect(unknownJson.stderr).toMatch(
      /^error TOOL_ERROR: tool nope answered with an error: .*Tool nope not found/m,
    );

    const logout = await cli(['logout', atlassian.mcp.url], env);
    expect(logout.code).toBe(0);
    expect(logout.stdout).toContain('1 token record deleted');
    const again = await cli(['logout', atlassian.mcp.url, '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ removed: 0 });
  });

  it('a corrupt token file: STORE_CORRUPT (exit 4) naming both files, moved aside; the next run logs in again', async () => {
    const own = await tempHome();
    try {
      const ownEnv = { OAUTH_DISCOVERY_HOME: own.dir };
      expect((await cli(['login', atlassian.mcp.url, '--headless'], ownEnv)).code).toBe(0);
      const tokens = (await readdir(own.dir)).find((name) => name.startsWith('tokens'));
      expect(tokens).toBeDefined();
      await writeFile(join(own.dir, tokens as string), '{ not json');

      const corrupt = await cli(['tools', atlassian.mcp.url, '--headless'], ownEnv);
      expect(corrupt.code).toBe(4);
      expect(corrupt.stderr).toMatch(/^error STORE_CORRUPT: /m);
      expect(corrupt.stderr).toContain(join(own.dir, tokens as string));
      const files = await readdir(own.dir);
      expect(files).not.toContain(tokens);
      expect(files.some((name) => name.startsWith(`${tokens}.corrupt-`))).toBe(true);

      expect((await cli(['tools', atlassian.mcp.url, '--headless'], ownEnv)).code).toBe(0);
    } finally {
      await own.remove();
    }
  });

  it('--args without --call is a usage error (exit 2), before any request', async () => {
    const before = atlassian.mcp.requests.length;
    const result = await cli(['tools', atlassian.mcp.url, '--args', '{}'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--args needs --call');
    expect(atlassian.mcp.requests.length).toBe(before);
  });

  it('--args that is not a JSON object is a usage error (exit 2)', async () => {
    const result = await cli(['tools', atlassian.mcp.url, '--call', 'echo', '--args', '[1]'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected a JSON object');
  });
});

describe('tools against other worlds', () => {
  it('a resource backed by oidc-provider (PRM, RFC 8707 JWT access tokens)', async () => {
    const result = await cli(['tools', oidcMcp.url, '--headless', '--json', '--call', 'whoami'], env);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { issuer: string; call: { isError: boolean } };
    expect(json.issuer).toBe(oidc.issuer);
    expect(json.call.isError).toBe(false);
  });

  it('GitHub-like, dynamic registration refused: exit 4 telling to pass --client-id', async () => {
    const result = await cli(['tools', github.mcp.url, '--headless'], env);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^error REGISTRATION_REFUSED: .*--client-id/m);
  });

  it('GitHub-like with --client-id: works', async () => {
    const result = await cli(['tools', github.mcp.url, '--headless', '--client-id', 'gh-app', '--json'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ issuer: github.as.issuer });
    expect(github.as.issuer).toMatch(/\/login\/oauth$/);
  });

  it('step-up: a tool needing a larger scope leads to one more authorization, then works', async () => {
    const result = await cli(['tools', stepUp.mcp.url, '--headless', '--call', 'whoami'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('step-up 1/3');
    expect(stepUp.as.count('/authorize')).toBe(2);
    expect(stepUp.as.issuedTokens.at(-1)?.scopes).toEqual(expect.arrayContaining(['mcp:read', 'mcp:admin']));
  });

  it('step-up that never satisfies the resource stops at the limit: STEP_UP_LIMIT, exit 4', async () => {
    const result = await cli(['tools', stepUpForever.mcp.url, '--headless', '--call', 'whoami'], env);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^error STEP_UP_LIMIT: /m);
    // 3 authorizations in all (the first and two step-ups), the MCP conformance suite's limit.
    expect(stepUpForever.as.count('/authorize')).toBe(3);
  });

  it('an authorization server that does not advertise PKCE is refused: PKCE_NOT_SUPPORTED, exit 3', async () => {
    const result = await cli(['tools', noPkce.mcp.url, '--headless'], env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('error PKCE_NOT_SUPPORTED:');
    expect(noPkce.as.count('/authorize')).toBe(0);
  });
});
