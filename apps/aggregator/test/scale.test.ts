import { authorizationServerMetadata, type Route, startWorld, type World } from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Aggregator, startAggregator, validateConfig } from '../src/index.js';
import { tempDir, waitFor } from './helpers.js';

const UPSTREAMS = 200;
const SERVERS = 5;

/** 200 MCP resources on two origins, each with its own PRM naming one of 5 authorization servers. */
function scaleWorld() {
  const resources: Record<string, Record<string, Route>> = { mcpA: {}, mcpB: {} };
  for (let i = 0; i < UPSTREAMS; i += 1) {
    const origin = i % 2 === 0 ? 'mcpA' : 'mcpB';
    const path = `/u${i}/mcp`;
    const prm = `/.well-known/oauth-protected-resource${path}`;
    const routes = resources[origin] as Record<string, Route>;
    routes[path] = {
      status: 401,
      headers: { 'www-authenticate': (w) => `Bearer resource_metadata="${w.url(origin, prm)}"` },
    };
    routes[prm] = {
      json: (w) => ({ resource: w.url(origin, path), authorization_servers: [w.origin(`as${i % SERVERS}`)] }),
    };
  }
  const origins: Record<string, { routes: Record<string, Route> }> = {
    mcpA: { routes: resources.mcpA as Record<string, Route> },
    mcpB: { routes: resources.mcpB as Record<string, Route> },
  };
  for (let k = 0; k < SERVERS; k += 1) {
    origins[`as${k}`] = {
      routes: {
        '/.well-known/oauth-authorization-server': {
          json: (w) => authorizationServerMetadata({ issuer: w.origin(`as${k}`) }),
        },
      },
    };
  }
  return { origins };
}

describe('start-up at scale', () => {
  let world: World;
  let aggregator: Aggregator;
  let storage: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    storage = await tempDir();
    world = await startWorld(scaleWorld());
  });
  afterAll(async () => {
    await aggregator?.close();
    await world?.close();
    await storage?.remove();
  });

  it('200 upstreams behind 5 authorization servers: one request per distinct metadata URL', async () => {
    const upstreams = Array.from({ length: UPSTREAMS }, (_, i) => ({
      name: `u${i}`,
      url: world.url(i % 2 === 0 ? 'mcpA' : 'mcpB', `/u${i}/mcp`),
      auth: { type: 'oauth' as const },
    }));
    aggregator = await startAggregator(
      validateConfig({
        listen: { host: '127.0.0.1', port: 0 },
        storageDir: storage.dir,
        discovery: { concurrency: 16, presets: false },
        upstreams,
      }),
    );
    await aggregator.ready;

    const states = aggregator.status().upstreams.map((u) => u.state);
    expect(states.filter((s) => s === 'auth_required')).toHaveLength(UPSTREAMS);
    const issuers = new Set(aggregator.status().upstreams.map((u) => u.issuer));
    expect(issuers.size).toBe(SERVERS);

    // Speculative leftovers may still be on their way when every upstream has settled.
    await waitFor('every request discovery sent to reach the servers', () => {
      return world.requests.length >= aggregator.discoveryStats().sent;
    });
    const metadata = world.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/.well-known/'));
    const distinct = new Set(metadata.map((r) => `${r.origin}${r.path}`));
    const asMetadata = metadata.filter((r) => r.origin.startsWith('as'));
    const stats = aggregator.discoveryStats();
    console.log(
      `scale: ${UPSTREAMS} upstreams, ${SERVERS} authorization servers — ${metadata.length} metadata requests, ` +
        `${distinct.size} distinct metadata URLs (${asMetadata.length} to authorization servers); ` +
        `${stats.sent} requests sent by discovery (${world.requests.length} seen by the servers), ` +
        `${stats.shared} answered from shared metadata`,
    );
    expect(metadata.length).toBe(distinct.size);
    // What the aggregator reports is what the servers saw.
    expect(stats.sent).toBe(world.requests.length);
    // Each authorization server's RFC 8414 document was fetched once for its 40 upstreams (its OIDC
    // URL may have been probed once too, by speculation).
    for (let k = 0; k < SERVERS; k += 1) {
      const own = asMetadata.filter((r) => r.origin === `as${k}`).map((r) => r.path);
      expect(own.filter((p) => p === '/.well-known/oauth-authorization-server')).toHaveLength(1);
      expect(own.length).toBeLessThanOrEqual(2);
    }
  });
});
