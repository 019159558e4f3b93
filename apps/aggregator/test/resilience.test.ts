import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCodes } from '@oauth-discovery/core';
import { type McpServerHandle, startMcpServer } from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Aggregator, startAggregator, validateConfig } from '../src/index.js';
import {
  connectTestClient,
  startSwitchableProxy,
  tempDir,
  textOf,
  waitFor,
  waitForState,
} from './helpers.js';

describe('faults and shutdown', () => {
  let target: McpServerHandle;
  let steady: McpServerHandle;
  let proxy: Awaited<ReturnType<typeof startSwitchableProxy>>;
  let aggregator: Aggregator;
  let storage: Awaited<ReturnType<typeof tempDir>>;
  let client: Client;
  const log: string[] = [];

  beforeAll(async () => {
    storage = await tempDir();
    target = await startMcpServer({ host: '127.0.0.51' });
    steady = await startMcpServer({ host: '127.0.0.53' });
    proxy = await startSwitchableProxy(target.url, '127.0.0.52');
    aggregator = await startAggregator(
      validateConfig({
        listen: { host: '127.0.0.1', port: 0 },
        storageDir: storage.dir,
        reconnect: { initialDelayMs: 50, maxDelayMs: 200, healthIntervalMs: 100, connectTimeoutMs: 3000 },
        upstreams: [
          { name: 'flaky', url: proxy.url, auth: { type: 'none' } },
          { name: 'steady', url: steady.url, auth: { type: 'none' } },
        ],
      }),
      { log: (event) => log.push(event.message) },
    );
    await aggregator.ready;
    ({ client } = await connectTestClient(aggregator.mcpUrl));
  });
  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await aggregator?.close();
    await proxy?.close();
    await Promise.all([target?.close(), steady?.close()]);
    await storage?.remove();
  });

  it('an upstream that is down fails alone, then connects by itself when it comes up', async () => {
    await waitFor(
      'a failed retry',
      () => log.filter((l) => l.startsWith('upstream flaky: failed')).length >= 2,
    );
    expect(log.find((l) => l.startsWith('upstream flaky: failed'))).toContain(
      `(${ErrorCodes.NETWORK_ERROR})`,
    );
    expect(aggregator.upstreams.get('steady')?.status().state).toBe('connected');
    proxy.up();
    await waitForState(aggregator, 'flaky', 'connected');
    // It never skipped a step: failed → connecting (retry) → … → connected.
    const flaky = log.filter((l) => l.startsWith('upstream flaky:')).map((l) => l.split(' ')[2]);
    expect(flaky.at(-1)).toBe('connected');
    expect(flaky.at(-2)).toBe('connecting');
    expect(log.some((l) => l.startsWith('upstream steady: failed'))).toBe(false);
    expect(textOf(await client.callTool({ name: 'flaky__echo', arguments: { text: 'back' } }))).toBe('back');
  });

  it('a dropped upstream is noticed, its tools withdrawn, and it reconnects with backoff', async () => {
    proxy.down();
    await waitForState(aggregator, 'flaky', 'failed');
    const { tools } = await client.listTools();
    expect(tools.some((t) => t.name.startsWith('flaky__'))).toBe(false);
    expect(aggregator.upstreams.get('steady')?.status().state).toBe('connected');
    proxy.up();
    await waitForState(aggregator, 'flaky', 'connected');
  });

  it('graceful shutdown lets a tool call in flight finish', async () => {
    proxy.state.holdMs = 400;
    const before = proxy.state.toolCalls;
    const call = client.callTool({ name: 'flaky__echo', arguments: { text: 'finishes' } });
    // The aggregator forwarded it; the proxy holds it, so it is in flight when shutdown starts.
    await waitFor('the call to reach the upstream', () => proxy.state.toolCalls > before);
    const closing = aggregator.close();
    const result = await call;
    await closing;
    expect(textOf(result)).toBe('finishes');
    await expect(fetch(`${aggregator.origin}/healthz`)).rejects.toThrow();
  });

  it('made no state transition outside the table (TRANSITIONS)', () => {
    expect(log.filter((line) => line.startsWith('invalid transition'))).toEqual([]);
  });
});
