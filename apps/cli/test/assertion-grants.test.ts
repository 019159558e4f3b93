import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AssertionGrantWorld,
  type EnterpriseIdpHandle,
  type JwtBearerServerHandle,
  type McpServerHandle,
  startAssertionGrantWorld,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuiltCli, tempHome } from './helpers.js';

// `login --grant jwt-bearer` and `login --grant token-exchange` against the testkit's real IdP and
// JWT-bearer authorization server: tokens from files and the environment, never argv; what the
// servers saw; refusals with their exit code; usage errors before any request.

requireBuiltCli();

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
let home: Awaited<ReturnType<typeof tempHome>>;
let world: AssertionGrantWorld;
let idp: EnterpriseIdpHandle;
let as: JwtBearerServerHandle;
let mcp: McpServerHandle;

beforeAll(async () => {
  home = await tempHome();
  world = await startAssertionGrantWorld({
    hosts: ['127.0.11.11', '127.0.11.12', '127.0.11.13', '127.0.11.14'],
    idpClients: [{ client_id: 'idp-cli', client_secret: 'idp-cli-secret', idJagClientId: 'mcp-cli' }],
    clients: [{ client_id: 'mcp-cli', client_secret: 'mcp-cli-secret' }, { client_id: 'workload' }],
  });
  ({ idp, as, mcp } = world);
});

afterAll(async () => {
  await world?.close();
  await home?.remove();
});

const workloadToken = (expiresIn = 300) =>
  world.workloadToken({ sub: 'system:serviceaccount:ci:bot', expiresIn });

describe('login --grant jwt-bearer', () => {
  it('--assertion-file: the workload token as the assertion, tokens stored (exit 0); tools uses them', async () => {
    const token = await workloadToken();
    const file = join(home.dir, 'sa-token');
    await writeFile(file, token);
    const before = as.requests.length;
    const result = await cli(
      [
        'login',
        mcp.url,
        '--grant',
        'jwt-bearer',
        '--client-id',
        'workload',
        '--assertion-file',
        file,
        '--json',
      ],
      { OAUTH_DISCOVERY_HOME: home.dir },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain(token);
    expect(JSON.parse(result.stdout)).toMatchObject({
      issuer: as.issuer,
      scope: 'mcp:tools',
      refreshToken: false,
    });
    expect(result.stdout).not.toContain(token);
    const sent = as.requests.slice(before);
    expect(sent).toMatchObject([
      {
        grantType: JWT_BEARER,
        clientAuth: 'none',
        clientId: 'workload',
        params: { assertion: token, resource: mcp.url },
      },
    ]);
    const tools = await cli(['tools', mcp.url, '--call', 'echo', '--args', '{"text":"workload"}'], {
      OAUTH_DISCOVERY_HOME: home.dir,
    });
    expect(tools.code).toBe(0);
    expect(tools.stdout).toContain('workload');
    expect(as.requests.length).toBe(before + 1);
  });

  it('$OAUTH_DISCOVERY_ASSERTION without a client id (exit 0)', async () => {
    const token = await workloadToken();
    const before = as.requests.length;
    const result = await cli(['login', mcp.url, '--grant', 'jwt-bearer'], {
      OAUTH_DISCOVERY_HOME: (await tempHome()).dir,
      OAUTH_DISCOVERY_ASSERTION: token,
    });
    expect(result.code).toBe(0);
    expect(as.requests.slice(before)).toMatchObject([
      { clientAuth: 'anonymous', params: { assertion: token } },
    ]);
  });

  it('an expired token: TOKEN_REQUEST_FAILED with the server’s invalid_grant (exit 4), one request', async () => {
    const before = as.requests.length;
    const result = await cli(['login', mcp.url, '--grant', 'jwt-bearer', '--json'], {
      OAUTH_DISCOVERY_HOME: (await tempHome()).dir,
      OAUTH_DISCOVERY_ASSERTION: await workloadToken(-120),
    });
    expect(result.code).toBe(4);
    const error = JSON.parse(result.stdout).error as { code: string; message: string };
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.message).toContain(as.tokenEndpoint);
    expect(error.message).toContain('invalid_grant');
    expect(as.requests.slice(before).map((request) => request.error)).toEqual(['invalid_grant']);
  });
});

/** `login` with the token-exchange grant at the testkit's IdP and AS, plus `extra` arguments. */
const tokenExchangeLogin = (extra: readonly string[] = []): string[] => [
  'login',
  mcp.url,
  '--grant',
  'token-exchange',
  '--client-id',
  'mcp-cli',
  '--idp-token-endpoint',
  idp.tokenEndpoint,
  '--idp-client-id',
  'idp-cli',
  ...extra,
];

describe('login --grant token-exchange', () => {
  it('the ID token from --id-token-file, secrets from the environment: ID-JAG, then JWT bearer (exit 0)', async () => {
    const idToken = await idp.issueIdToken('carol', 'idp-cli');
    const file = join(home.dir, 'id-token');
    await writeFile(file, idToken);
    const [idpBefore, asBefore] = [idp.requests.length, as.requests.length];
    const result = await cli(tokenExchangeLogin(['--id-token-file', file]), {
      OAUTH_DISCOVERY_HOME: (await tempHome()).dir,
      OAUTH_DISCOVERY_CLIENT_SECRET: 'mcp-cli-secret',
      OAUTH_DISCOVERY_IDP_CLIENT_SECRET: 'idp-cli-secret',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Logged in to ${mcp.url}`);
    expect(result.stdout + result.stderr).not.toMatch(/idp-cli-secret|mcp-cli-secret/);
    expect(idp.requests.slice(idpBefore)).toMatchObject([
      {
        clientAuth: 'client_secret_basic',
        clientId: 'idp-cli',
        params: { subject_token: idToken, audience: as.issuer },
      },
    ]);
    expect(as.requests.slice(asBefore)).toMatchObject([
      { grantType: JWT_BEARER, clientAuth: 'client_secret_basic', clientId: 'mcp-cli' },
    ]);
    expect(as.requests.at(-1)?.error).toBeUndefined();
  });

  it('a wrong IdP secret: the IdP’s invalid_client (exit 4), the AS never asked', async () => {
    const asBefore = as.requests.length;
    const result = await cli(tokenExchangeLogin(), {
      OAUTH_DISCOVERY_HOME: (await tempHome()).dir,
      OAUTH_DISCOVERY_CLIENT_SECRET: 'mcp-cli-secret',
      OAUTH_DISCOVERY_IDP_CLIENT_SECRET: 'wrong',
      OAUTH_DISCOVERY_ID_TOKEN: await idp.issueIdToken('carol', 'idp-cli'),
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('TOKEN_REQUEST_FAILED');
    expect(result.stderr).toContain('invalid_client');
    expect(as.requests.length).toBe(asBefore);
  });
});

describe('grant usage errors: exit 2, no request', () => {
  it.each([
    [
      'jwt-bearer, a secret on the command line',
      ['--grant', 'jwt-bearer', '--client-id', 'w', '--client-secret', 's'],
    ],
    [
      'jwt-bearer, an assertion file that does not exist',
      ['--grant', 'jwt-bearer', '--assertion-file', '/nonexistent/token'],
    ],
    ['token-exchange without the IdP', ['--grant', 'token-exchange', '--client-id', 'mcp-cli']],
    [
      'token-exchange without a client id',
      ['--grant', 'token-exchange', '--idp-token-endpoint', 'http://127.0.0.1/t', '--idp-client-id', 'i'],
    ],
    ['--assertion-file without --grant', ['--assertion-file', '/tmp/x']],
    ['jwt-bearer without a token', ['--grant', 'jwt-bearer', '--client-id', 'workload']],
    ['an unknown grant', ['--grant', 'password']],
  ])('%s', async (_name, flags) => {
    const [idpBefore, asBefore] = [idp.requests.length, as.requests.length];
    const result = await cli(['login', mcp.url, ...flags], { OAUTH_DISCOVERY_HOME: (await tempHome()).dir });
    expect(result.code).toBe(2);
    expect([idp.requests.length, as.requests.length]).toEqual([idpBefore, asBefore]);
  });
});
