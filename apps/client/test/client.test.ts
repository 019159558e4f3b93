import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ATLASSIAN_V1_CHALLENGE,
  type AuthorizationServerHandle,
  jsonRoute,
  type McpServerHandle,
  type NodeRun,
  type OidcProviderHandle,
  runNode,
  startAuthorizationServer,
  startMcpServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLIENT = fileURLToPath(new URL('../dist/index.js', import.meta.url));
if (!existsSync(CLIENT)) {
  throw new Error(
    `${CLIENT} is missing: build the example client first (pnpm build, or pnpm test from the repository root)`,
  );
}

let home: string;
const servers: { close(): Promise<void> }[] = [];
let atlassian: { as: AuthorizationServerHandle; mcp: McpServerHandle };
let github: { as: AuthorizationServerHandle; mcp: McpServerHandle };
let stepUp: { as: AuthorizationServerHandle; mcp: McpServerHandle };
let oidc: OidcProviderHandle;
let oidcMcp: McpServerHandle;

function client(args: readonly string[]): Promise<NodeRun> {
  return runNode(CLIENT, args, { ...process.env, OAUTH_DISCOVERY_HOME: home });
}

async function started<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
  const value = await server;
  servers.push(value);
  return value;
}

async function prmWorld(
  hosts: [string, string],
  asOptions: Parameters<typeof startAuthorizationServer>[0] = {},
  mcpOptions: Parameters<typeof startMcpServer>[0] = {},
) {
  const as = await started(startAuthorizationServer({ host: hosts[1], ...asOptions }));
  const mcp = await started(
    startMcpServer({
      host: hosts[0],
      verifyToken: (token) => as.introspect(token),
      resourceMetadata: { authorizationServers: [as.issuer], scopesSupported: ['mcp:read'] },
      ...mcpOptions,
    }),
  );
  return { as, mcp };
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'oauth-discovery-client-'));
  const as = await started(startAuthorizationServer({ host: '127.0.3.3' }));
  const mcp = await started(
    startMcpServer({
      host: '127.0.3.2',
      path: '/v1/mcp',
      verifyToken: (token) => as.introspect(token),
      wwwAuthenticate: ATLASSIAN_V1_CHALLENGE,
      routes: { '/.well-known/oauth-authorization-server': jsonRoute(as.metadata) },
    }),
  );
  atlassian = { as, mcp };
  github = await prmWorld(['127.0.3.4', '127.0.3.5'], {
    basePath: '/login/oauth',
    registration: false,
    clients: [{ client_id: 'gh-app', redirect_uris: ['http://127.0.0.1/callback'] }],
  });
  stepUp = await prmWorld(['127.0.3.6', '127.0.3.7'], {}, { toolScopes: { whoami: ['mcp:admin'] } });
  let resourceUrl = '';
  oidc = await started(
    startOidcProvider({
      host: '127.0.3.8',
      resourceServers: (resource) => (resource === resourceUrl ? { scope: 'mcp:tools' } : undefined),
    }),
  );
  oidcMcp = await started(
    startMcpServer({
      host: '127.0.3.9',
      verifyToken: (token) => oidc.verifyAccessToken(token, resourceUrl),
      resourceMetadata: { authorizationServers: [oidc.issuer], scopesSupported: ['mcp:tools'] },
    }),
  );
  resourceUrl = oidcMcp.url;
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  if (home) await rm(home, { recursive: true, force: true });
});

describe('example client', () => {
  it('Atlassian-shaped server: connects headless, lists the tools, calls echo', async () => {
    const result = await client([
      '--headless',
      '--call',
      'echo',
      '--args',
      '{"text":"hello"}',
      atlassian.mcp.url,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `connected to ${atlassian.mcp.url} (protocol 2025-11-25, authorization server ${atlassian.as.issuer})`,
    );
    expect(result.stdout).toContain('- echo: Returns the text it is given.');
    expect(result.stdout.trim().split('\n').at(-1)).toBe('hello');
  });

  it('a second run uses the stored tokens: no new authorization', async () => {
    const before = atlassian.as.count('/authorize');
    const result = await client(['--headless', atlassian.mcp.url]);
    expect(result.code).toBe(0);
    expect(atlassian.as.count('/authorize')).toBe(before);
  });

  it('oidc-provider behind PRM: connects and calls whoami', async () => {
    const result = await client(['--headless', '--call', 'whoami', oidcMcp.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`authorization server ${oidc.issuer}`);
    expect(result.stdout).toContain('"subject"');
  });

  it('GitHub-like without a client id: exits 1 telling to pass --client-id', async () => {
    const result = await client(['--headless', github.mcp.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error REGISTRATION_REFUSED: .*--client-id/m);
  });

  it('GitHub-like with --client-id: works', async () => {
    const result = await client(['--headless', '--client-id', 'gh-app', github.mcp.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`authorization server ${github.as.issuer}`);
  });

  it('step-up: whoami needs mcp:admin, the client authorizes again and succeeds', async () => {
    const result = await client(['--headless', '--call', 'whoami', stepUp.mcp.url]);
    expect(result.code).toBe(0);
    expect(stepUp.as.count('/authorize')).toBe(2);
    expect(result.stdout).toContain('mcp:admin');
  });

  it('a tool that answers with an error exits 1 and says so on stderr', async () => {
    const result = await client(['--headless', '--call', 'echo', atlassian.mcp.url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error TOOL_ERROR: echo answered with an error\n');
  });

  it('usage: no URL, an unknown flag or --args that is not a JSON object exits 2 with the usage line', async () => {
    for (const args of [
      [],
      ['--frobnicate', atlassian.mcp.url],
      ['--call', 'echo', '--args', '{not json', atlassian.mcp.url],
      ['--call', 'echo', '--args', '[1]', atlassian.mcp.url],
    ]) {
      const result = await client(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('usage: node apps/client/dist/index.js');
    }
  });
});
