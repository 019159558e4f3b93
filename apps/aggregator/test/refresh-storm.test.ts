import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createMemoryStore } from '@oauth-discovery/store';
import {
  type AuthorizationServerHandle,
  type McpServerHandle,
  startAuthorizationServer,
  startMcpServer,
} from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type Aggregator, startAggregator, validateConfig } from '../src/index.js';
import { connectTestClient, followLogin, tempDir, waitForState } from './helpers.js';

// Finding 5 of the security review: an AS issuing `expires_in` 30 or 0 (below the 60 s refresh skew)
// made the aggregator refresh about a hundred times a second, forever.

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const WINDOW_MS = 1_500;

describe.each([30, 0])('an authorization server issuing expires_in %i', (ttl) => {
  it('gets a bounded number of refreshes, not a storm', async () => {
    const storage = await tempDir();
    closers.push(() => storage.remove());
    const as: AuthorizationServerHandle = await startAuthorizationServer({
      host: '127.0.0.71',
      accessTokenTtlSeconds: ttl,
    });
    closers.push(() => as.close());
    // The resource accepts every token the AS issued, expired or not: only the client's rule is tested.
    const mcp: McpServerHandle = await startMcpServer({
      host: '127.0.0.72',
      verifyToken: async (token) => {
        const issued = as.issuedTokens.find((t) => t.token === token);
        return issued === undefined ? null : { ...issued, expiresAt: Math.floor(Date.now() / 1000) + 3600 };
      },
      resourceMetadata: { authorizationServers: [as.issuer] },
    });
    closers.push(() => mcp.close());
    const aggregator: Aggregator = await startAggregator(
      validateConfig({
        listen: { host: '127.0.0.1', port: 0 },
        storageDir: storage.dir,
        upstreams: [{ name: 'short', url: mcp.url, auth: { type: 'oauth' } }],
      }),
      { store: createMemoryStore() },
    );
    closers.push(() => aggregator.close());
    await aggregator.ready;
    const { client }: { client: Client } = await connectTestClient(aggregator.mcpUrl);
    closers.push(() => client.close());

    const login = await client.callTool({ name: 'auth_login', arguments: { upstream: 'short' } });
    await followLogin((login.structuredContent as { authorizationUrl: string }).authorizationUrl);
    await waitForState(aggregator, 'short', 'connected');
    const before = as.count('/token');
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    // At most one refresh per second (expires_in 0) or none (30: due after 15 s) in the window.
    expect(as.count('/token') - before).toBeLessThanOrEqual(3);
  });
});
