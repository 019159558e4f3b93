import { startMcpServer } from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Aggregator, LogEvent } from '../src/index.js';
import { connectTestClient, INITIALIZE, rawRequest } from './helpers.js';
import { createFixture } from './setup.js';

async function sessions(aggregator: Aggregator): Promise<number> {
  const health = await rawRequest(aggregator.origin, '/healthz');
  return (JSON.parse(health.body) as { sessions: number }).sessions;
}

async function initialize(aggregator: Aggregator): Promise<string> {
  const answer = await rawRequest(aggregator.origin, '/mcp', { method: 'POST', body: INITIALIZE });
  expect(answer.status).toBe(200);
  return String(answer.headers['mcp-session-id']);
}

const LIST_TOOLS = { jsonrpc: '2.0', id: 2, method: 'tools/list' } as const;

describe('MCP sessions are bounded (issue 10, finding 10)', () => {
  const fx = createFixture();
  let aggregator: Aggregator;
  let clockOffset = 0;
  const closed: LogEvent[] = [];

  beforeAll(async () => {
    const storage = await fx.storage();
    const open = fx.add(await startMcpServer({ host: '127.0.0.62' }));
    aggregator = await fx.aggregator(
      {
        storageDir: storage.dir,
        sessions: { max: 50, idleSeconds: 600 },
        upstreams: [{ name: 'open', url: open.url, auth: { type: 'none' } }],
      },
      {
        now: () => Date.now() + clockOffset,
        log: (event) => {
          if (event.event === 'session-closed') closed.push(event);
        },
      },
    );
    await aggregator.ready;
  });
  afterAll(() => fx.close());

  it('3,000 initialize calls leave at most sessions.max sessions; the newest still work', async () => {
    const ids: string[] = [];
    for (let batch = 0; batch < 3000 / 25; batch += 1)
      ids.push(...(await Promise.all(Array.from({ length: 25 }, () => initialize(aggregator)))));
    expect(new Set(ids).size).toBe(3000);
    expect(await sessions(aggregator)).toBe(50);
    // 2,950 evictions, one log line (the flood is logged a line a minute).
    expect(closed).toEqual([expect.objectContaining({ level: 'warn', reason: 'evicted', sessions: 49 })]);
    // The most recent session answers; the first one was closed to make room and is 404 (initialize again).
    const newest = await rawRequest(aggregator.origin, '/mcp', {
      method: 'POST',
      headers: { 'mcp-session-id': ids.at(-1) ?? '', 'mcp-protocol-version': '2025-06-18' },
      body: LIST_TOOLS,
    });
    expect(newest.status).toBe(200);
    expect(newest.body).toContain('open__echo');
    const oldest = await rawRequest(aggregator.origin, '/mcp', {
      method: 'POST',
      headers: { 'mcp-session-id': ids[0] ?? '', 'mcp-protocol-version': '2025-06-18' },
      body: LIST_TOOLS,
    });
    expect(oldest.status).toBe(404);
  });

  it('a flood closes idle sessions first: a client holding its notification stream keeps working', async () => {
    const { client } = await connectTestClient(aggregator.mcpUrl);
    for (let batch = 0; batch < 4; batch += 1)
      await Promise.all(Array.from({ length: 25 }, () => initialize(aggregator)));
    expect(await sessions(aggregator)).toBe(50);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('open__echo');
    await client.close();
  });

  it('a session idle for sessions.idleSeconds is closed', async () => {
    const kept = await initialize(aggregator);
    clockOffset = 601_000;
    // Any new session sweeps the idle ones first: every earlier session was idle for 601 s.
    await initialize(aggregator);
    expect(await sessions(aggregator)).toBe(1);
    expect(closed.filter((event) => event.reason === 'idle')).toHaveLength(1);
    const gone = await rawRequest(aggregator.origin, '/mcp', {
      method: 'POST',
      headers: { 'mcp-session-id': kept, 'mcp-protocol-version': '2025-06-18' },
      body: LIST_TOOLS,
    });
    expect(gone.status).toBe(404);
  });
});
