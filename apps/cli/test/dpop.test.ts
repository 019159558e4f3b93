import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type McpServerHandle,
  type OidcProviderHandle,
  startMcpServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuiltCli, tempHome } from './helpers.js';

// `login --dpop` against oidc-provider (nonces required) and an MCP server that checks every proof:
// the key lands in the store (0600), never on the terminal, and `tools` uses it without the flag.

requireBuiltCli();

let home: Awaited<ReturnType<typeof tempHome>>;
let oidc: OidcProviderHandle;
let mcp: McpServerHandle;

beforeAll(async () => {
  home = await tempHome();
  let resourceUrl = '';
  oidc = await startOidcProvider({
    host: '127.0.11.6',
    clientCredentials: true,
    registration: false,
    dpop: { requireNonce: true },
    resourceServers: (resource) => (resource === resourceUrl ? { scope: 'mcp:tools' } : undefined),
    clients: [
      {
        client_id: 'cli-dpop-bot',
        client_secret: 'cli-secret',
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
      },
    ],
  });
  mcp = await startMcpServer({
    host: '127.0.11.7',
    dpop: { requireNonce: true },
    verifyToken: (token) => oidc.verifyAccessToken(token, resourceUrl),
    resourceMetadata: { authorizationServers: [oidc.issuer], scopesSupported: ['mcp:tools'] },
  });
  resourceUrl = mcp.url;
});

afterAll(async () => {
  await Promise.all([mcp?.close(), oidc?.close()]);
  await home?.remove();
});

describe('login --dpop', () => {
  it('a DPoP-bound token and its key in the store; tools presents it with proofs (exit 0)', async () => {
    const env = { OAUTH_DISCOVERY_HOME: home.dir, OAUTH_DISCOVERY_CLIENT_SECRET: 'cli-secret' };
    const login = await cli(
      ['login', mcp.url, '--grant', 'client_credentials', '--client-id', 'cli-dpop-bot', '--dpop', '--json'],
      env,
    );
    expect(login.code).toBe(0);
    const names = (await readdir(home.dir)).filter((name) => name.startsWith('dpop-key-'));
    expect(names).toHaveLength(1);
    const path = join(home.dir, names[0] as string);
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
    const { value } = JSON.parse(await readFile(path, 'utf8')) as { value: { privateJwk: { d: string } } };
    const tools = await cli(['tools', mcp.url, '--call', 'echo', '--args', '{"text":"bound"}'], {
      OAUTH_DISCOVERY_HOME: home.dir,
    });
    expect(tools.code).toBe(0);
    expect(tools.stdout).toContain('bound');
    for (const run of [login, tools]) expect(run.stdout + run.stderr).not.toContain(value.privateJwk.d);
    expect(mcp.dpop?.accepted.length).toBeGreaterThanOrEqual(2);
    expect(mcp.dpop?.nonceChallenges).toBe(1);
  });
});
