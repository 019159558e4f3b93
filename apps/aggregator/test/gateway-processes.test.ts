import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  type AuthorizationServerHandle,
  type OidcProviderHandle,
  startAuthorizationServer,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callbackQuery,
  clearRedisPrefix,
  fleetConfig,
  freePort,
  mintAccessToken,
  startTeamIdp,
  storeKeys,
} from './gateway-helpers.js';
import { textOf, waitFor } from './helpers.js';
import { createFixture } from './setup.js';

// Issue 14, "done when", with real processes: two `oauth-discovery-aggregator` command lines
// (dist/main.js, built before the tests) on one Redis.

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Running {
  readonly child: ChildProcess;
  readonly mcpUrl: string;
  readonly origin: string;
}

/** Starts the command line and resolves with its MCP URL (the one line it writes to stdout). */
function startProcess(config: string, env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [MAIN, '--config', config], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((done, fail) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /MCP endpoint: (\S+)/.exec(out);
      if (match?.[1]) done({ child, mcpUrl: match[1], origin: new URL(match[1]).origin });
    });
    child.once('exit', (code) => fail(new Error(`aggregator exited with ${code}: ${err}`)));
  });
}

function stop(running: Running | undefined): Promise<void> {
  if (running === undefined || running.child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    running.child.once('exit', () => done());
    running.child.kill('SIGTERM');
  });
}

describe('two aggregator processes on one Redis', () => {
  const prefix = `agg-process-test-${randomUUID()}:`;
  const env = { OAUTH_DISCOVERY_STORE_KEYS: storeKeys() };
  const fx = createFixture();
  let idp: OidcProviderHandle;
  let as: AuthorizationServerHandle;
  let config: string;
  let publicUrl: string;
  let a: Running | undefined;
  let b: Running | undefined;

  const connect = async (instance: Running | undefined, user: string): Promise<Client> =>
    (await fx.client(instance?.mcpUrl ?? '', await mintAccessToken(idp, user, `${publicUrl}/mcp`))).client;
  const stateOf = async (client: Client): Promise<string> => {
    const status = await client.callTool({ name: 'upstream_status', arguments: { upstream: 'docs' } });
    return (status.structuredContent as { upstreams: { state: string }[] }).upstreams[0]?.state ?? '';
  };

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the aggregator first`);
    fx.add({ close: () => clearRedisPrefix(prefix) });
    const storage = await fx.storage();
    idp = fx.add(await startTeamIdp());
    as = fx.add(await startAuthorizationServer({ host: '127.0.0.111', rotateRefreshTokens: true }));
    const docs = await fx.mcpBehind(as, { host: '127.0.0.112' });
    publicUrl = `http://127.0.0.1:${await freePort()}`;
    config = join(storage.dir, 'aggregator.yaml');
    // JSON is YAML.
    await writeFile(
      config,
      JSON.stringify({
        ...fleetConfig(publicUrl, idp.issuer, prefix),
        reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
        upstreams: [{ name: 'docs', url: docs.url, auth: { type: 'oauth' } }],
      }),
    );
    fx.add({ close: () => Promise.all([stop(a), stop(b)]) });
    [a, b] = await Promise.all([startProcess(config, env), startProcess(config, env)]);
  }, 60_000);
  afterAll(() => fx.close(), 60_000);

  it('a login started on process A completes on process B; bob sees none of it', async () => {
    const alice = await connect(a, 'alice');
    const started = await alice.callTool({ name: 'auth_login', arguments: { upstream: 'docs' } });
    const { authorizationUrl } = started.structuredContent as { authorizationUrl: string };
    const query = await callbackQuery(authorizationUrl, `${publicUrl}/oauth/callback`);
    expect((await fetch(`${b?.origin}/oauth/callback${query}`)).status).toBe(200);
    await waitFor('alice connected on A', async () => (await stateOf(alice)) === 'connected');
    expect(textOf(await alice.callTool({ name: 'docs__echo', arguments: { text: 'a' } }))).toBe('a');
    const bob = await connect(b, 'bob');
    expect(await stateOf(bob)).toBe('auth_required');
  });

  it('a foreign Origin gets 403 from both processes', async () => {
    for (const instance of [a, b]) {
      const response = await fetch(instance?.mcpUrl ?? '', {
        method: 'POST',
        headers: { origin: 'http://evil.example' },
        body: '{}',
      });
      expect(response.status).toBe(403);
    }
  });

  it('a restart of both processes loses no token and no login in progress', async () => {
    const bob = await connect(a, 'bob');
    const started = await bob.callTool({ name: 'auth_login', arguments: { upstream: 'docs' } });
    const { authorizationUrl } = started.structuredContent as { authorizationUrl: string };
    const query = await callbackQuery(authorizationUrl, `${publicUrl}/oauth/callback`);
    await Promise.all([stop(a), stop(b)]);
    [a, b] = await Promise.all([startProcess(config, env), startProcess(config, env)]);
    const tokenRequests = as.count('/token');
    expect((await fetch(`${b.origin}/oauth/callback${query}`)).status).toBe(200);
    const bobAgain = await connect(a, 'bob');
    await waitFor('bob connected on A', async () => (await stateOf(bobAgain)) === 'connected');
    const alice = await connect(b, 'alice');
    await waitFor('alice connected on B', async () => (await stateOf(alice)) === 'connected');
    expect(textOf(await alice.callTool({ name: 'docs__echo', arguments: { text: 'kept' } }))).toBe('kept');
    // Only bob's code exchange: alice's stored tokens were used as they were.
    expect(as.count('/token') - tokenRequests).toBe(1);
  }, 60_000);
});
