import { startMcpServer } from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Aggregator, LogEvent } from '../src/index.js';
import { INITIALIZE, rawRequest } from './helpers.js';
import { createFixture } from './setup.js';

/** Every route the aggregator serves, and one it does not. */
const ROUTES = [
  { method: 'POST', path: '/mcp', body: INITIALIZE },
  { method: 'GET', path: '/mcp' },
  { method: 'DELETE', path: '/mcp' },
  { method: 'GET', path: '/status' },
  { method: 'GET', path: '/status/waterfall' },
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/oauth/callback?code=x&state=y' },
  { method: 'GET', path: '/nothing-here' },
] as const;

describe('DNS rebinding and Origin protection (issue 10, finding 4)', () => {
  const fx = createFixture();
  let aggregator: Aggregator;
  let port: string;
  let clockOffset = 0;
  const events: LogEvent[] = [];

  beforeAll(async () => {
    const storage = await fx.storage();
    const open = fx.add(await startMcpServer({ host: '127.0.0.61' }));
    aggregator = await fx.aggregator(
      {
        publicUrl: 'https://gateway.example',
        storageDir: storage.dir,
        upstreams: [{ name: 'open', url: open.url, auth: { type: 'none' } }],
      },
      { log: (event) => events.push(event), now: () => Date.now() + clockOffset },
    );
    await aggregator.ready;
    port = new URL(aggregator.origin).port;
  });
  afterAll(() => fx.close());

  it.each(ROUTES)('$method $path with Host: attacker.example is 403', async (route) => {
    const answer = await rawRequest(aggregator.origin, route.path, {
      method: route.method,
      headers: { host: `attacker.example:${port}`, origin: `http://attacker.example:${port}` },
      ...('body' in route ? { body: route.body } : {}),
    });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'forbidden', header: 'host' });
  });

  it.each(ROUTES)(
    '$method $path with the right Host but Origin: http://attacker.example is 403',
    async (route) => {
      const answer = await rawRequest(aggregator.origin, route.path, {
        method: route.method,
        headers: { host: `127.0.0.1:${port}`, origin: 'http://attacker.example' },
        ...('body' in route ? { body: route.body } : {}),
      });
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'forbidden', header: 'origin' });
    },
  );

  it('refuses Origin: null, a Host on another port, and a Host with no port', async () => {
    const statuses = await Promise.all([
      rawRequest(aggregator.origin, '/status', { headers: { origin: 'null' } }),
      rawRequest(aggregator.origin, '/status', { headers: { host: '127.0.0.1:1' } }),
      rawRequest(aggregator.origin, '/status', { headers: { host: '127.0.0.1' } }),
      rawRequest(aggregator.origin, '/status', { headers: { host: 'gateway.example.attacker.example' } }),
    ]);
    expect(statuses.map((s) => s.status)).toEqual([403, 403, 403, 403]);
  });

  it('answers the bind address, localhost and the public URL, with or without a matching Origin', async () => {
    const ok = await Promise.all([
      // A non-browser client: no Origin at all.
      rawRequest(aggregator.origin, '/mcp', { method: 'POST', body: INITIALIZE }),
      rawRequest(aggregator.origin, '/status', { headers: { origin: aggregator.origin } }),
      rawRequest(aggregator.origin, '/status', {
        headers: { host: `localhost:${port}`, origin: `http://localhost:${port}` },
      }),
      // Behind a reverse proxy that keeps the public Host.
      rawRequest(aggregator.origin, '/status', {
        headers: { host: 'gateway.example', origin: 'https://gateway.example' },
      }),
      rawRequest(aggregator.origin, '/healthz', { headers: { host: 'GATEWAY.example:443' } }),
    ]);
    expect(ok.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(ok[0]?.headers['mcp-session-id']).toBeTypeOf('string');
    expect(ok[0]?.body).toContain('"serverInfo"');
  });

  it('logs refusals without letting a flood write a line each', async () => {
    const refused = () => events.filter((event) => event.event === 'request-refused');
    // 20 refusals above, one line.
    expect(refused()).toHaveLength(1);
    expect(refused()[0]).toMatchObject({ level: 'warn', header: 'host', path: '/mcp' });
    clockOffset = 61_000;
    await rawRequest(aggregator.origin, '/status', { headers: { origin: 'http://attacker.example' } });
    expect(refused()).toHaveLength(2);
    expect(refused()[1]).toMatchObject({ header: 'origin', path: '/status', suppressed: 19 });
  });
});
