import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  type AuthorizationServerHandle,
  type McpServerHandle,
  type OidcProviderHandle,
  type Route,
  startAuthorizationServer,
  startWorld,
  type World,
} from '@oauth-discovery/testkit';
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
  startTeamIdp,
  storeKeys,
} from './gateway-helpers.js';
import { textOf, waitFor } from './helpers.js';
import { createFixture } from './setup.js';

// The gateway at scale, on a real Redis. By default a small size that runs with the suite (the same
// checks); `AGGREGATOR_SCALE=full` runs issue 14's benchmark: 500 upstreams behind 10 authorization
// servers, 50 users, 2 instances. It prints the numbers (docs/aggregator.md, "Scale"); it asserts only
// counts (metadata requests, one refresh per token, nothing lost), never times.

const FULL = process.env.AGGREGATOR_SCALE === 'full';
const SIZE = FULL
  ? { upstreams: 500, servers: 10, users: 50, live: 10, callsPerUser: 4 }
  : { upstreams: 40, servers: 4, users: 6, live: 4, callsPerUser: 2 };

// A full garbage collection before each heap reading, so the numbers are live objects, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

describe(`the gateway at scale: ${SIZE.upstreams} upstreams, ${SIZE.servers} authorization servers, ${SIZE.users} users, 2 instances on Redis`, () => {
  const prefix = `agg-scale-test-${randomUUID()}:`;
  const env = { OAUTH_DISCOVERY_STORE_KEYS: storeKeys() };
  const fx = createFixture();
  let idp: OidcProviderHandle;
  const servers: AuthorizationServerHandle[] = [];
  const live: McpServerHandle[] = [];
  let world: World;
  let a: Aggregator | undefined;
  let b: Aggregator | undefined;
  let publicUrl: string;
  let clockOffset = 0;
  const report: string[] = [];

  const metadataRequests = () =>
    [
      ...world.requests.map((r) => `${r.origin} ${r.path}`),
      ...servers.flatMap((s) => s.requests.map((r) => `${s.origin} ${r.path}`)),
      ...live.flatMap((s) => s.requests.map((r) => `${s.origin} ${r.path}`)),
    ].filter((line) => line.split(' ')[1]?.startsWith('/.well-known/'));

  beforeAll(async () => {
    fx.add({ close: () => clearRedisPrefix(prefix) });
    idp = fx.add(await startTeamIdp());
    for (let k = 0; k < SIZE.servers; k += 1)
      servers.push(
        fx.add(await startAuthorizationServer({ rotateRefreshTokens: true, accessTokenTtlSeconds: 600 })),
      );
    for (let i = 0; i < SIZE.live; i += 1)
      live.push(
        await fx.mcpBehind(servers[i % SIZE.servers] as AuthorizationServerHandle, { host: '127.0.0.2' }),
      );
    const routes: Record<string, Route> = {};
    for (let i = SIZE.live; i < SIZE.upstreams; i += 1) {
      const path = `/u${i}/mcp`;
      const prm = `/.well-known/oauth-protected-resource${path}`;
      const issuer = (servers[i % SIZE.servers] as AuthorizationServerHandle).issuer;
      routes[path] = {
        status: 401,
        headers: { 'www-authenticate': (w) => `Bearer resource_metadata="${w.url('mcp', prm)}"` },
      };
      routes[prm] = { json: (w) => ({ resource: w.url('mcp', path), authorization_servers: [issuer] }) };
    }
    world = fx.add(await startWorld({ origins: { mcp: { routes } } }));
    publicUrl = `http://127.0.0.1:${await freePort()}`;
  }, 120_000);
  afterAll(async () => {
    await fx.close();
    console.log(`gateway scale (${FULL ? 'full' : 'small'}):\n  ${report.join('\n  ')}`);
  }, 120_000);

  const start = () =>
    fx.aggregator(
      {
        ...fleetConfig(publicUrl, idp.issuer, prefix),
        discovery: { presets: false, concurrency: 16 },
        upstreams: Array.from({ length: SIZE.upstreams }, (_, i) => ({
          name: `u${i}`,
          url: i < SIZE.live ? (live[i] as McpServerHandle).url : world.url('mcp', `/u${i}/mcp`),
          auth: { type: 'oauth' as const },
        })),
      },
      { env, now: () => Date.now() + clockOffset },
    );
  const users: GatewayUser[] = [];
  const instanceOf = (u: number) => (u % 2 === 0 ? a : b) as Aggregator;
  const otherOf = (u: number) => (u % 2 === 0 ? b : a) as Aggregator;

  it('starts both instances; the second discovers nothing itself (the Redis discovery cache)', async () => {
    const heapBefore = heapUsed();
    let t = performance.now();
    a = await start();
    await a.ready;
    const startA = performance.now() - t;
    const afterA = metadataRequests().length;
    t = performance.now();
    b = await start();
    await b.ready;
    const startB = performance.now() - t;
    const requests = metadataRequests();
    const distinct = new Set(requests).size;
    report.push(
      `start-up: instance A ${startA.toFixed(0)} ms (cold), instance B ${startB.toFixed(0)} ms (discovery from Redis)`,
      `metadata requests: ${requests.length} for ${distinct} distinct metadata URLs (${afterA} by A, ${requests.length - afterA} by B)`,
    );
    expect(requests.length).toBe(distinct);
    expect(requests.length - afterA).toBe(0);
    report.push(`heap after start-up: +${mb(heapUsed() - heapBefore)} for both instances`);
  }, 120_000);

  it('every user connects to both instances; their upstreams are their own', async () => {
    const heapBefore = heapUsed();
    const t = performance.now();
    for (let u = 0; u < SIZE.users; u += 1) {
      const subject = `user${u}`;
      users.push({ issuer: idp.issuer, subject, id: userIdOf(idp.issuer, subject) });
    }
    await Promise.all(
      users.map(async (user, u) => {
        const token = await mintAccessToken(idp, user.subject, `${publicUrl}/mcp`);
        for (const instance of [instanceOf(u), otherOf(u)]) await fx.client(instance.mcpUrl, token);
      }),
    );
    for (const user of users)
      for (const instance of [a, b] as Aggregator[])
        await waitFor(
          `${user.subject}'s upstreams settled`,
          () =>
            [...instance.spaceOf(user).upstreams.values()].every(
              (up) => up.status().state === 'auth_required',
            ),
          60_000,
        );
    const elapsed = performance.now() - t;
    const heap = heapUsed() - heapBefore;
    report.push(
      `${SIZE.users} users × 2 instances × ${SIZE.upstreams} upstreams (${SIZE.users * SIZE.upstreams * 2} per-user upstream states) settled in ${elapsed.toFixed(0)} ms; heap +${mb(heap)} (≈ ${mb(heap / 2)} per instance, ${(heap / (SIZE.users * SIZE.upstreams * 2) / 1024).toFixed(1)} KB per user-upstream)`,
    );
  }, 300_000);

  it('logins: every user logs in to a live upstream, started on one instance, finished on the other', async () => {
    const t = performance.now();
    await Promise.all(
      users.map(async (user, u) => {
        const upstream = `u${u % SIZE.live}`;
        const started = await instanceOf(u).spaceOf(user).upstreams.get(upstream)?.login();
        const query = await callbackQuery(started?.url ?? '', `${publicUrl}/oauth/callback`);
        const answer = await fetch(`${otherOf(u).origin}/oauth/callback${query}`);
        expect(answer.status).toBe(200);
      }),
    );
    const elapsed = performance.now() - t;
    report.push(
      `logins: ${SIZE.users} in ${elapsed.toFixed(0)} ms (${((SIZE.users * 1000) / elapsed).toFixed(1)} per second, start on one instance, callback on the other)`,
    );
    // Both instances connect the user's upstream (the other one hears of the login by a store event).
    for (const [u, user] of users.entries())
      for (const instance of [a, b] as Aggregator[]) {
        const upstream = instance.spaceOf(user).upstreams.get(`u${u % SIZE.live}`);
        await upstream?.recheck();
        await waitFor(`${user.subject} connected`, () => upstream?.status().state === 'connected', 60_000);
      }
  }, 300_000);

  it('refreshes of rotating tokens under concurrent calls on both instances: one per token, none lost', async () => {
    const before = servers.reduce((sum, s) => sum + s.count('/token'), 0);
    clockOffset = HOUR / 2; // every upstream token (10 min) expired; the gateway tokens (1 h) not
    const calls: Promise<string>[] = [];
    try {
      users.forEach((user, u) => {
        const upstream = `u${u % SIZE.live}`;
        for (let c = 0; c < SIZE.callsPerUser; c += 1)
          for (const instance of [a, b] as Aggregator[]) {
            const up = instance.spaceOf(user).upstreams.get(upstream);
            calls.push(
              (async () => {
                await up?.recheck();
                return textOf((await up?.callTool('echo', { text: `${user.subject}-${c}` })) ?? {});
              })(),
            );
          }
      });
      const t = performance.now();
      const results = await Promise.allSettled(calls);
      const elapsed = performance.now() - t;
      const failed = results.filter((r) => r.status === 'rejected').length;
      for (const result of results) if (result.status === 'rejected') console.error(result.reason);
      const refreshes = servers.reduce((sum, s) => sum + s.count('/token'), 0) - before;
      report.push(
        `refresh: ${calls.length} concurrent calls (${SIZE.callsPerUser} per user per instance) with every token expired → ${refreshes} refreshes for ${SIZE.users} tokens, ${failed} calls failed, ${elapsed.toFixed(0)} ms`,
      );
      expect(failed).toBe(0);
      expect(refreshes).toBe(SIZE.users);
    } finally {
      clockOffset = 0;
    }
  }, 300_000);
});
