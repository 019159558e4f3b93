import { createServer, type Server } from 'node:http';
import {
  type McpServerHandle,
  type OidcProviderHandle,
  startMcpServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CALLBACK_PORT } from '../src/callback-server.js';
import { login } from '../src/connect.js';
import type { McpAuthEvent } from '../src/events.js';
import { createMemoryStore } from '../src/store/memory-store.js';

let oidc: OidcProviderHandle;
let mcp: McpServerHandle;
let registrations = 0;

beforeAll(async () => {
  let resourceUrl = '';
  oidc = await startOidcProvider({
    host: '127.0.3.1',
    resourceServers: (resource) => (resource === resourceUrl ? { scope: 'mcp:tools' } : undefined),
  });
  oidc.provider.on('registration_create.success', () => {
    registrations += 1;
  });
  mcp = await startMcpServer({
    host: '127.0.3.2',
    verifyToken: (token) => oidc.verifyAccessToken(token, resourceUrl),
    resourceMetadata: { authorizationServers: [oidc.issuer], scopesSupported: ['mcp:tools'] },
  });
  resourceUrl = mcp.url;
});

afterAll(async () => {
  await mcp?.close();
  await oidc?.close();
});

/** A browser for an auto-approving provider: follows every redirect, down to the loopback callback. */
async function browser(url: string): Promise<void> {
  const page = await undiciFetch(url);
  expect(await page.text()).toContain('You are signed in');
}

async function browserLogin(store: ReturnType<typeof createMemoryStore>): Promise<McpAuthEvent[]> {
  const events: McpAuthEvent[] = [];
  await login({ serverUrl: mcp.url, store, openBrowser: browser, onEvent: (event) => events.push(event) });
  return events;
}

const redirectUriOf = (events: readonly McpAuthEvent[]) =>
  events.flatMap((e) => (e.type === 'authorization-started' ? [e.redirectUri] : []));

describe('the loopback callback port of browser logins', () => {
  it('two logins use the stable default port and one dynamic registration (oidc-provider)', async () => {
    const store = createMemoryStore();
    const before = registrations;
    const first = await browserLogin(store);
    const second = await browserLogin(store);
    const stable = `http://127.0.0.1:${DEFAULT_CALLBACK_PORT}/callback`;
    expect(redirectUriOf(first)).toEqual([stable]);
    expect(redirectUriOf(second)).toEqual([stable]);
    expect(registrations - before).toBe(1);
    const clients = [...first, ...second].filter((e) => e.type === 'client');
    expect(clients.map((e) => e.type === 'client' && e.fresh)).toEqual([true, false]);
  });

  it('the default port taken: a free one, traced, and a new registration for its redirect URI', async () => {
    const store = createMemoryStore();
    await browserLogin(store);
    const squatter: Server = createServer((_req, res) => res.end());
    // Taken already (another test's login in flight) serves as well.
    await new Promise<void>((resolve) => {
      squatter.once('error', () => resolve());
      squatter.listen(DEFAULT_CALLBACK_PORT, '127.0.0.1', resolve);
    });
    try {
      const before = registrations;
      const events = await browserLogin(store);
      const taken = events.find((e) => e.type === 'callback-port-taken');
      expect(taken).toMatchObject({ port: DEFAULT_CALLBACK_PORT });
      const [redirectUri] = redirectUriOf(events);
      expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      expect(redirectUri).not.toContain(`:${DEFAULT_CALLBACK_PORT}/`);
      expect(taken?.type === 'callback-port-taken' && taken.redirectUri).toBe(redirectUri);
      expect(registrations - before).toBe(1);
    } finally {
      if (squatter.listening) await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});
