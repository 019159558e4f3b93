import { randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  type AuthorizationServerHandle,
  type McpServerHandle,
  type OidcProviderHandle,
  startAuthorizationServer,
} from '@oauth-discovery/testkit';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayUser, userIdOf } from '../src/gateway-auth.js';
import type { Aggregator } from '../src/index.js';
import {
  callbackQuery,
  clearRedisPrefix,
  fleetConfig,
  freePort,
  HOUR,
  mintAccessToken,
  REDIS_URL,
  startTeamIdp,
  storeKeys,
} from './gateway-helpers.js';
import { textOf, waitFor } from './helpers.js';
import { createFixture } from './setup.js';

// Issue 14, "done when": two aggregator instances on one Redis, two users, each with their own logins.

describe('two aggregator instances on one Redis', () => {
  const prefix = `agg-fleet-test-${randomUUID()}:`;
  const fx = createFixture();
  let idp: OidcProviderHandle;
  let as: AuthorizationServerHandle;
  let docs: McpServerHandle;
  let wiki: McpServerHandle;
  let a: Aggregator;
  let b: Aggregator;
  let publicUrl: string;
  let clockOffset = 0;
  const env = { OAUTH_DISCOVERY_STORE_KEYS: storeKeys() };
  let alice: GatewayUser;
  let bob: GatewayUser;

  const start = () =>
    fx.aggregator(
      {
        ...fleetConfig(publicUrl, idp.issuer, prefix),
        reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
        upstreams: [
          { name: 'docs', url: docs.url, auth: { type: 'oauth' } },
          { name: 'wiki', url: wiki.url, auth: { type: 'oauth' } },
        ],
      },
      { env, now: () => Date.now() + clockOffset },
    );
  const token = (user: string) => mintAccessToken(idp, user, `${publicUrl}/mcp`);
  const connect = async (instance: Aggregator, user: string): Promise<Client> =>
    (await fx.client(instance.mcpUrl, await token(user))).client;
  const stateOf = (instance: Aggregator, user: GatewayUser, upstream: string) =>
    instance.spaceOf(user).upstreams.get(upstream)?.status().state;
  /** Starts a login on `from` and delivers its callback to `to`. */
  async function login(client: Client, upstream: string, to: Aggregator): Promise<Response> {
    const started = await client.callTool({ name: 'auth_login', arguments: { upstream } });
    const { authorizationUrl } = started.structuredContent as { authorizationUrl: string };
    const query = await callbackQuery(authorizationUrl, `${publicUrl}/oauth/callback`);
    return fetch(`${to.origin}/oauth/callback${query}`);
  }

  beforeAll(async () => {
    fx.add({ close: () => clearRedisPrefix(prefix) });
    idp = fx.add(await startTeamIdp());
    as = fx.add(
      await startAuthorizationServer({
        host: '127.0.0.81',
        rotateRefreshTokens: true,
        accessTokenTtlSeconds: 600,
      }),
    );
    docs = await fx.mcpBehind(as, { host: '127.0.0.82' });
    wiki = await fx.mcpBehind(as, { host: '127.0.0.83' });
    publicUrl = `http://127.0.0.1:${await freePort()}`;
    alice = { issuer: idp.issuer, subject: 'alice', id: userIdOf(idp.issuer, 'alice') };
    bob = { issuer: idp.issuer, subject: 'bob', id: userIdOf(idp.issuer, 'bob') };
    [a, b] = await Promise.all([start(), start()]);
  });
  afterAll(() => fx.close());

  it('a login started on A completes on B, for the user who started it only', async () => {
    const aliceOnA = await connect(a, 'alice');
    const answer = await login(aliceOnA, 'docs', b);
    expect(answer.status).toBe(200);
    // A hears of it (store events, or the recheck of upstream_status) and connects alice's docs.
    await aliceOnA.callTool({ name: 'upstream_status', arguments: { upstream: 'docs' } });
    await waitFor('alice docs on A', () => stateOf(a, alice, 'docs') === 'connected');
    expect(textOf(await aliceOnA.callTool({ name: 'docs__echo', arguments: { text: 'a' } }))).toBe('a');
    const aliceOnB = await connect(b, 'alice');
    expect(textOf(await aliceOnB.callTool({ name: 'docs__echo', arguments: { text: 'b' } }))).toBe('b');
  });

  it('user B can neither see nor use alice’s upstream', async () => {
    const bobOnB = await connect(b, 'bob');
    const status = await bobOnB.callTool({ name: 'upstream_status', arguments: { upstream: 'docs' } });
    expect(status.structuredContent).toMatchObject({ upstreams: [{ name: 'docs', state: 'auth_required' }] });
    const tools = await bobOnB.listTools();
    expect(tools.tools.some((tool) => tool.name.startsWith('docs__'))).toBe(false);
    const call = await bobOnB
      .callTool({ name: 'docs__echo', arguments: { text: 'x' } })
      .catch((e: unknown) => e);
    expect(String(call)).toContain('Upstream "docs" is auth_required');
  });

  it('bob logs in on his own (started on B, finished on A); his logout leaves alice connected', async () => {
    const bobOnB = await connect(b, 'bob');
    expect((await login(bobOnB, 'docs', a)).status).toBe(200);
    await bobOnB.callTool({ name: 'upstream_status', arguments: { upstream: 'docs' } });
    await waitFor('bob docs on B', () => stateOf(b, bob, 'docs') === 'connected');
    expect(textOf(await bobOnB.callTool({ name: 'docs__echo', arguments: { text: 'bob' } }))).toBe('bob');
    await bobOnB.callTool({ name: 'auth_logout', arguments: { upstream: 'docs' } });
    expect(stateOf(b, bob, 'docs')).toBe('auth_required');
    expect(stateOf(b, alice, 'docs')).toBe('connected');
    const aliceOnA = await connect(a, 'alice');
    expect(textOf(await aliceOnA.callTool({ name: 'docs__echo', arguments: { text: 'still' } }))).toBe(
      'still',
    );
  });

  it('a foreign Origin gets 403 on both instances', async () => {
    for (const instance of [a, b]) {
      const response = await fetch(instance.mcpUrl, {
        method: 'POST',
        headers: { origin: 'http://evil.example', authorization: `Bearer ${await token('alice')}` },
        body: '{}',
      });
      expect(response.status).toBe(403);
    }
  });

  it('a rotating refresh under concurrent calls on both instances runs once and loses nothing', async () => {
    const aliceOnA = await connect(a, 'alice');
    const aliceOnB = await connect(b, 'alice');
    const before = as.count('/token');
    // Every instance now sees alice's docs token (10 min) as expired; her gateway token (1 h) is still good.
    clockOffset = HOUR / 2;
    const calls = Array.from({ length: 10 }, (_, i) =>
      (i % 2 === 0 ? aliceOnA : aliceOnB).callTool({ name: 'docs__echo', arguments: { text: `c${i}` } }),
    );
    const results = await Promise.all(calls).finally(() => {
      clockOffset = 0;
    });
    expect(results.map(textOf)).toEqual(Array.from({ length: 10 }, (_, i) => `c${i}`));
    expect(as.count('/token') - before).toBe(1);
    expect(stateOf(a, alice, 'docs')).toBe('connected');
    expect(stateOf(b, alice, 'docs')).toBe('connected');
  });

  it('keeps every secret encrypted in Redis', async () => {
    const redis = await createClient({ url: REDIS_URL }).connect();
    const values: string[] = [];
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}r:*`, COUNT: 100 }))
      for (const key of keys) values.push((await redis.hGet(key, 'v')) ?? '');
    await redis.close();
    expect(values.length).toBeGreaterThanOrEqual(2);
    for (const value of values) expect(JSON.parse(value)).toMatchObject({ alg: 'A256GCM', kid: 'test-key' });
    const secrets = as.issuedTokens.map((issued) => issued.token);
    for (const secret of secrets) expect(values.join('\n')).not.toContain(secret);
  });

  it('a restart of both loses no token and no login in progress', async () => {
    const aliceOnA = await connect(a, 'alice');
    const started = await aliceOnA.callTool({ name: 'auth_login', arguments: { upstream: 'wiki' } });
    const { authorizationUrl } = started.structuredContent as { authorizationUrl: string };
    const query = await callbackQuery(authorizationUrl, `${publicUrl}/oauth/callback`);
    await Promise.all([a.close(), b.close()]);
    [a, b] = await Promise.all([start(), start()]);
    const tokensBefore = as.count('/token');
    expect((await fetch(`${b.origin}/oauth/callback${query}`)).status).toBe(200);
    const aliceAgain = await connect(a, 'alice');
    await aliceAgain.callTool({ name: 'upstream_status' });
    await waitFor('alice wiki on A', () => stateOf(a, alice, 'wiki') === 'connected');
    expect(textOf(await aliceAgain.callTool({ name: 'docs__echo', arguments: { text: 'kept' } }))).toBe(
      'kept',
    );
    expect(textOf(await aliceAgain.callTool({ name: 'wiki__echo', arguments: { text: 'w' } }))).toBe('w');
    // One token request: the code exchange of the wiki login; docs needed none.
    expect(as.count('/token') - tokensBefore).toBe(1);
  });

  it('a logout on A is seen on B', async () => {
    const aliceOnA = await connect(a, 'alice');
    const aliceOnB = await connect(b, 'alice');
    expect(textOf(await aliceOnB.callTool({ name: 'docs__echo', arguments: { text: 'x' } }))).toBe('x');
    await aliceOnA.callTool({ name: 'auth_logout', arguments: { upstream: 'docs' } });
    await waitFor('alice docs on B to need a login', () => stateOf(b, alice, 'docs') === 'auth_required');
    const call = await aliceOnB
      .callTool({ name: 'docs__echo', arguments: { text: 'y' } })
      .catch((e: unknown) => e);
    expect(String(call)).toContain('auth_required');
  });
});
