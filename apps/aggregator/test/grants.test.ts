import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { isDiscoveryError } from '@oauth-discovery/core';
import { createFileStore } from '@oauth-discovery/store';
import {
  type EnterpriseIdpHandle,
  type JwtBearerServerHandle,
  type McpServerHandle,
  startEnterpriseIdp,
  startJwtBearerServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Aggregator, startAggregator, validateConfig } from '../src/index.js';
import { textOf, waitForState } from './helpers.js';
import { createFixture } from './setup.js';

// Upstreams with a `grant` block: client credentials (oidc-provider, the secret from a file) and
// workload identity (the testkit's JWT-bearer server, the token from a rotating file), connected with
// no login; a refused grant leaves the upstream failed with the server's error.

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe('aggregator: upstreams with a grant connect without a login', () => {
  const fx = createFixture();
  let platform: EnterpriseIdpHandle;
  let jwtAs: JwtBearerServerHandle;
  let workloadMcp: McpServerHandle;
  let expiredMcp: McpServerHandle;
  let aggregator: Aggregator;
  let client: Client;

  beforeAll(async () => {
    const storage = await fx.storage();
    platform = fx.add(await startEnterpriseIdp({ host: '127.0.11.21' }));
    jwtAs = fx.add(
      await startJwtBearerServer({
        host: '127.0.11.22',
        trust: [{ issuer: platform.issuer, jwksUri: platform.jwksUri }],
        clients: [{ client_id: 'aggregator-workload' }],
      }),
    );
    workloadMcp = await fx.mcpBehind(jwtAs, { host: '127.0.11.23' });
    expiredMcp = await fx.mcpBehind(jwtAs, { host: '127.0.11.24' });
    let machineResource = '';
    const oidc = fx.add(
      await startOidcProvider({
        host: '127.0.11.25',
        clientCredentials: true,
        registration: false,
        resourceServers: (resource) => (resource === machineResource ? { scope: 'mcp:tools' } : undefined),
        clients: [
          {
            client_id: 'aggregator-bot',
            client_secret: 'aggregator-bot-secret',
            token_endpoint_auth_method: 'client_secret_basic',
            grant_types: ['client_credentials'],
            redirect_uris: [],
            response_types: [],
          },
        ],
      }),
    );
    const machineMcp = await fx.mcpBehind(oidc, {
      host: '127.0.11.26',
      resourceMetadata: { scopesSupported: ['mcp:tools'] },
    });
    machineResource = machineMcp.url;
    const tokenFile = join(storage.dir, 'workload-token');
    await writeFile(tokenFile, await platform.signJwt({ sub: 'workload', aud: jwtAs.issuer }));
    const secretFile = join(storage.dir, 'bot-secret');
    await writeFile(secretFile, 'aggregator-bot-secret\n');
    ({ aggregator, client } = await fx.connected(
      {
        storageDir: storage.dir,
        reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
        upstreams: [
          {
            name: 'workload',
            url: workloadMcp.url,
            auth: {
              type: 'oauth',
              grant: { type: 'jwt-bearer', clientId: 'aggregator-workload', assertionFile: tokenFile },
            },
          },
          {
            name: 'expired',
            url: expiredMcp.url,
            auth: { type: 'oauth', grant: { type: 'jwt-bearer', assertionEnv: 'GRANTS_TEST_EXPIRED_TOKEN' } },
          },
          {
            name: 'machine',
            url: machineMcp.url,
            auth: {
              type: 'oauth',
              issuer: oidc.issuer,
              grant: { type: 'client_credentials', clientId: 'aggregator-bot', clientSecretFile: secretFile },
            },
          },
        ],
      },
      {
        store: createFileStore({ dir: storage.dir }),
        env: {
          GRANTS_TEST_EXPIRED_TOKEN: await platform.signJwt(
            { sub: 'workload', aud: jwtAs.issuer },
            { expiresIn: -120 },
          ),
        },
      },
    ));
  });
  afterAll(() => fx.close());

  it('workload identity: the token of assertionFile as the assertion; the upstream’s tools work', async () => {
    await waitForState(aggregator, 'workload', 'connected');
    const result = await client.callTool({ name: 'workload__echo', arguments: { text: 'via wif' } });
    expect(textOf(result)).toContain('via wif');
    const sent = jwtAs.requests.filter((request) => request.params.resource === workloadMcp.url);
    expect(sent).toMatchObject([
      { grantType: JWT_BEARER, clientAuth: 'none', clientId: 'aggregator-workload' },
    ]);
    expect(sent[0]?.error).toBeUndefined();
  });

  it('client credentials: the secret of clientSecretFile, sent to the pinned issuer; the tools work', async () => {
    await waitForState(aggregator, 'machine', 'connected');
    const result = await client.callTool({
      name: 'machine__echo',
      arguments: { text: 'via client credentials' },
    });
    expect(textOf(result)).toContain('via client credentials');
  });

  it('an expired workload token: failed with TOKEN_REQUEST_FAILED and the server’s invalid_grant, one request', async () => {
    await waitForState(aggregator, 'expired', 'failed');
    const status = aggregator.upstreams.get('expired')?.status();
    expect(status?.error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED' });
    expect(JSON.stringify(status?.error)).toContain('invalid_grant');
    const sent = jwtAs.requests.filter((request) => request.params.resource === expiredMcp.url);
    expect(sent.map((request) => request.error)).toEqual(['invalid_grant']);
  });
});

describe('aggregator config: the grant block', () => {
  const upstream = (grant: unknown) => ({
    upstreams: [{ name: 'a', url: 'https://mcp.example/mcp', auth: { type: 'oauth', grant } }],
  });
  it.each([
    [
      'client_credentials without a credential',
      { type: 'client_credentials', clientId: 'bot' },
      'exactly one',
    ],
    [
      'client_credentials with two',
      { type: 'client_credentials', clientId: 'bot', clientSecretEnv: 'A', privateKeyFile: '/k.pem' },
      'exactly one',
    ],
    ['jwt-bearer without a token source', { type: 'jwt-bearer' }, 'assertionFile'],
    [
      'jwt-bearer with a secret but no client id',
      { type: 'jwt-bearer', assertionEnv: 'T', clientSecretEnv: 'S' },
      'clientId',
    ],
    ['an unknown grant', { type: 'password' }, 'grant'],
    ['an unknown key', { type: 'jwt-bearer', assertionEnv: 'T', assertion: 'inline' }, 'unknown key'],
  ])('%s: INVALID_CONFIG naming the key', (_name, grant, words) => {
    let error: unknown;
    try {
      validateConfig(upstream(grant));
    } catch (thrown) {
      error = thrown;
    }
    expect(isDiscoveryError(error) && error.code).toBe('INVALID_CONFIG');
    expect((error as Error).message).toContain('upstreams[0].auth.grant');
    expect((error as Error).message).toContain(words);
  });

  it('a secret file that cannot be read: INVALID_CONFIG at start naming the key', async () => {
    const config = validateConfig(
      upstream({ type: 'client_credentials', clientId: 'bot', clientSecretFile: '/nonexistent/secret' }),
    );
    const started = startAggregator({ ...config, listen: { host: '127.0.0.1', port: 0 } });
    await expect(started).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(started).rejects.toThrow('upstreams[0].auth.grant.clientSecretFile');
  });
});
