import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type McpServerHandle,
  type OidcProviderHandle,
  startMcpServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuiltCli, tempHome } from './helpers.js';

// `login --grant client_credentials` against oidc-provider: the secret from the environment, the key
// from a file; what the authorization server saw; usage errors before any request.

requireBuiltCli();

const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
let home: Awaited<ReturnType<typeof tempHome>>;
let oidc: OidcProviderHandle;
let mcp: McpServerHandle;
let keyFile = '';
const seen: { clientId: string; resource: unknown; assertion: boolean; basic: boolean }[] = [];

beforeAll(async () => {
  home = await tempHome();
  keyFile = join(home.dir, 'bot.pem');
  await writeFile(keyFile, key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
  let resourceUrl = '';
  const base = { grant_types: ['client_credentials'], redirect_uris: [], response_types: [] };
  oidc = await startOidcProvider({
    host: '127.0.10.6',
    clientCredentials: true,
    registration: false,
    resourceServers: (resource) => (resource === resourceUrl ? { scope: 'mcp:tools' } : undefined),
    clients: [
      {
        ...base,
        client_id: 'cli-bot',
        client_secret: 'cli-secret',
        token_endpoint_auth_method: 'client_secret_basic',
      },
      {
        ...base,
        client_id: 'cli-jwt-bot',
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [key.publicKey.export({ format: 'jwk' })] },
      },
    ],
  });
  oidc.provider.on('grant.success', (raw: unknown) => {
    const ctx = raw as {
      oidc: { client?: { clientId: string }; body?: Record<string, unknown> };
      headers: Record<string, string | undefined>;
    };
    seen.push({
      clientId: ctx.oidc.client?.clientId ?? '',
      resource: ctx.oidc.body?.resource,
      assertion: ctx.oidc.body?.client_assertion !== undefined,
      basic: ctx.headers.authorization?.startsWith('Basic ') ?? false,
    });
  });
  mcp = await startMcpServer({
    host: '127.0.10.7',
    verifyToken: (token) => oidc.verifyAccessToken(token, resourceUrl),
    resourceMetadata: { authorizationServers: [oidc.issuer], scopesSupported: ['mcp:tools'] },
  });
  resourceUrl = mcp.url;
});

afterAll(async () => {
  await Promise.all([mcp?.close(), oidc?.close()]);
  await home?.remove();
});

describe('login --grant client_credentials', () => {
  it('the secret from $OAUTH_DISCOVERY_CLIENT_SECRET: client_secret_basic, resource, tokens stored (exit 0)', async () => {
    seen.length = 0;
    const result = await cli(
      ['login', mcp.url, '--grant', 'client_credentials', '--client-id', 'cli-bot', '--json'],
      {
        OAUTH_DISCOVERY_HOME: home.dir,
        OAUTH_DISCOVERY_CLIENT_SECRET: 'cli-secret',
      },
    );
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ issuer: oidc.issuer, scope: 'mcp:tools', refreshToken: false });
    expect(result.stdout + result.stderr).not.toContain('cli-secret');
    expect(seen).toEqual([{ clientId: 'cli-bot', resource: mcp.url, assertion: false, basic: true }]);
    // The stored token works without any grant flag.
    const tools = await cli(['tools', mcp.url, '--call', 'echo', '--args', '{"text":"from the store"}'], {
      OAUTH_DISCOVERY_HOME: home.dir,
    });
    expect(tools.code).toBe(0);
    expect(tools.stdout).toContain('from the store');
    expect(seen).toHaveLength(1);
  });

  it('--private-key-file: private_key_jwt (exit 0)', async () => {
    seen.length = 0;
    const result = await cli(
      [
        'login',
        mcp.url,
        '--grant',
        'client_credentials',
        '--client-id',
        'cli-jwt-bot',
        '--private-key-file',
        keyFile,
      ],
      { OAUTH_DISCOVERY_HOME: home.dir, OAUTH_DISCOVERY_CLIENT_SECRET: 'left-over' },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Logged in to ${mcp.url}`);
    expect(seen).toEqual([{ clientId: 'cli-jwt-bot', resource: mcp.url, assertion: true, basic: false }]);
  });

  it('a wrong secret: TOKEN_REQUEST_FAILED (exit 4)', async () => {
    const result = await cli(['login', mcp.url, '--grant', 'client_credentials', '--client-id', 'cli-bot'], {
      OAUTH_DISCOVERY_HOME: home.dir,
      OAUTH_DISCOVERY_CLIENT_SECRET: 'wrong',
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('TOKEN_REQUEST_FAILED');
  });

  it.each([
    [
      'a secret on the command line',
      ['--client-id', 'cli-bot', '--client-secret', 'cli-secret'],
      { OAUTH_DISCOVERY_CLIENT_SECRET: 'cli-secret' },
    ],
    ['no client id', [], { OAUTH_DISCOVERY_CLIENT_SECRET: 'cli-secret' }],
    ['no secret and no key', ['--client-id', 'cli-bot'], {}],
    [
      'a key file that does not exist',
      ['--client-id', 'cli-jwt-bot', '--private-key-file', '/nonexistent/key.pem'],
      {},
    ],
  ] as const)('%s: INVALID_CONFIG (exit 2), no token request', async (_name, flags, env) => {
    seen.length = 0;
    const result = await cli(['login', mcp.url, '--grant', 'client_credentials', ...flags], {
      OAUTH_DISCOVERY_HOME: home.dir,
      OAUTH_DISCOVERY_CLIENT_SECRET: '',
      ...env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('INVALID_CONFIG');
    expect(seen).toEqual([]);
  });

  it('an unknown grant, or --private-key-file without --grant: usage error (exit 2)', async () => {
    const unknown = await cli(['login', mcp.url, '--grant', 'password', '--client-id', 'cli-bot']);
    expect(unknown.code).toBe(2);
    const keyOnly = await cli(['login', mcp.url, '--private-key-file', keyFile]);
    expect(keyOnly.code).toBe(2);
    expect(keyOnly.stderr).toContain('INVALID_CONFIG');
  });
});
