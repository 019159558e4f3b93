import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCodes } from '@oauth-discovery/core';
import { FlowErrorCodes } from '@oauth-discovery/mcp';
import { createFileStore } from '@oauth-discovery/store';
import {
  type AuthorizationServerHandle,
  type McpServerHandle,
  type OidcProviderHandle,
  startAuthorizationServer,
  startMcpServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Aggregator } from '../src/index.js';
import { followLogin, refusedUrl, textOf, waitFor, waitForState } from './helpers.js';
import { createFixture } from './setup.js';

const HOUR = 3_600_000;

describe('the aggregator in front of real upstreams', () => {
  const fx = createFixture();
  let atlassianAs: AuthorizationServerHandle;
  let atlassianMcp: McpServerHandle;
  let op: OidcProviderHandle;
  let aggregator: Aggregator;
  let storage: { readonly dir: string };
  let client: Client;
  let listChanged: () => number;
  let clockOffset = 0;
  const log: string[] = [];

  beforeAll(async () => {
    storage = await fx.storage();
    // Atlassian v1 shape: no PRM, Atlassian's exact 401, RFC 8414 at the MCP origin naming a foreign issuer.
    atlassianAs = fx.add(await startAuthorizationServer({ host: '127.0.0.41' }));
    atlassianMcp = await fx.atlassianShape(atlassianAs, '127.0.0.42');
    let oidcResource = '';
    op = fx.add(
      await startOidcProvider({
        host: '127.0.0.43',
        resourceServers: (resource) => (resource === oidcResource ? { scope: 'mcp:tools' } : undefined),
      }),
    );
    const oidcMcp = await fx.mcpBehind(op, {
      host: '127.0.0.44',
      resourceMetadata: { scopesSupported: ['mcp:tools'] },
    });
    oidcResource = oidcMcp.url;
    const openMcp = fx.add(await startMcpServer({ host: '127.0.0.45' }));
    // The PRM names an authorization server whose metadata names another issuer.
    const mismatchAs = fx.add(
      await startAuthorizationServer({
        host: '127.0.0.46',
        issuer: (origin) => `${origin}/someone-else`,
      }),
    );
    const mismatchMcp = fx.add(
      await startMcpServer({
        host: '127.0.0.47',
        verifyToken: async () => null,
        resourceMetadata: { authorizationServers: [mismatchAs.origin] },
      }),
    );

    // Its PRM names the oidc-provider, but the configuration pins an issuer with no metadata anywhere.
    const pinnedMcp = fx.add(
      await startMcpServer({
        host: '127.0.0.49',
        verifyToken: async () => null,
        resourceMetadata: { authorizationServers: [op.issuer] },
      }),
    );

    ({ aggregator, client, listChanged } = await fx.connected(
      {
        storageDir: storage.dir,
        discovery: {
          presetHosts: {
            'https://mcp.atlassian.com': atlassianMcp.origin,
            'https://cf.mcp.atlassian.com': atlassianAs.origin,
          },
        },
        // Retries come after the tests have read the failed states (recovery is resilience.test.ts's).
        reconnect: { initialDelayMs: 10_000, maxDelayMs: 20_000 },
        oauth: { loginTtlSeconds: 600 },
        upstreams: [
          { name: 'atlassian', url: atlassianMcp.url, auth: { type: 'oauth', preset: 'atlassian' } },
          { name: 'oidc', url: oidcMcp.url, auth: { type: 'oauth', issuer: op.issuer } },
          { name: 'open', url: openMcp.url, auth: { type: 'none' } },
          { name: 'down', url: await refusedUrl('127.0.0.48'), auth: { type: 'none' } },
          { name: 'mismatch', url: mismatchMcp.url, auth: { type: 'oauth' } },
          {
            name: 'pinned',
            url: pinnedMcp.url,
            auth: { type: 'oauth', issuer: await refusedUrl('127.0.0.50') },
          },
        ],
      },
      { log: (event) => log.push(event.message), now: () => Date.now() + clockOffset },
    ));
  });
  afterAll(() => fx.close());

  afterEach(() => {
    clockOffset = 0;
    atlassianAs.failRefresh = false;
  });

  const state = (name: string) => aggregator.upstreams.get(name)?.status();

  it('reaches a state for every upstream; one failing never blocks the others', () => {
    expect(state('atlassian')).toMatchObject({ state: 'auth_required', issuer: atlassianAs.issuer });
    expect(state('oidc')).toMatchObject({ state: 'auth_required', issuer: op.issuer });
    expect(state('open')).toMatchObject({ state: 'connected', tools: 3 });
    expect(state('down')).toMatchObject({ state: 'failed', error: { code: ErrorCodes.NETWORK_ERROR } });
    // The status says why, not just "fetch failed".
    expect(state('down')?.error?.message).toContain('ECONNREFUSED');
    expect(state('down')?.retryAt).toBeTypeOf('string');
    const mismatch = state('mismatch');
    expect(mismatch).toMatchObject({ state: 'failed', error: { code: ErrorCodes.ISSUER_MISMATCH } });
    expect(mismatch?.trace?.steps.length).toBeGreaterThan(0);
    // A security error is not retried by itself.
    expect(mismatch?.retryAt).toBeUndefined();
    // A pin that discovery did not reach is a mismatch too, named with both issuers, but retried: the
    // pinned server may only be down.
    const pinned = state('pinned');
    expect(pinned).toMatchObject({ state: 'failed', error: { code: ErrorCodes.ISSUER_MISMATCH } });
    expect(pinned?.error?.message).toContain(
      `discovery ended at issuer ${op.issuer}, but the configuration pins`,
    );
    expect(pinned?.trace?.steps[0]).toMatchObject({ strategy: 'static-config', outcome: 'found' });
    expect(pinned?.retryAt).toBeTypeOf('string');
  });

  it('serves the same states at GET /status and health at GET /healthz', async () => {
    const status = (await (await fetch(`${aggregator.origin}/status`)).json()) as {
      upstreams: { name: string; state: string; error?: { code: string } }[];
    };
    expect(status.upstreams.map((u) => [u.name, u.state])).toEqual([
      ['atlassian', 'auth_required'],
      ['oidc', 'auth_required'],
      ['open', 'connected'],
      ['down', 'failed'],
      ['mismatch', 'failed'],
      ['pinned', 'failed'],
    ]);
    expect(status.upstreams[4]?.error?.code).toBe('ISSUER_MISMATCH');
    const health = await fetch(`${aggregator.origin}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      upstreams: { connected: 1, failed: 3, auth_required: 2 },
    });
  });

  it('lists meta-tools and the connected upstream tools under <upstream>__<tool>, and calls them', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'upstream_status',
      'auth_login',
      'auth_logout',
      'open__echo',
      'open__add',
      'open__whoami',
    ]);
    const sum = await client.callTool({ name: 'open__add', arguments: { a: 2, b: 3 } });
    expect(sum.structuredContent).toEqual({ sum: 5 });
    const status = await client.callTool({ name: 'upstream_status', arguments: { upstream: 'mismatch' } });
    expect(textOf(status)).toContain('ISSUER_MISMATCH');
  });

  it('a call to an upstream that is not connected is a clear MCP error naming the state and what to do', async () => {
    const error = await client
      .callTool({ name: 'atlassian__echo', arguments: { text: 'x' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).message).toMatch(/Upstream "atlassian" is auth_required/);
    expect((error as McpError).message).toMatch(/auth_login/);
    const down = await client
      .callTool({ name: 'down__echo', arguments: { text: 'x' } })
      .catch((e: unknown) => e);
    expect((down as McpError).message).toMatch(/is failed \(NETWORK_ERROR/);
    const unknown = await client.callTool({ name: 'nosuch__echo', arguments: {} }).catch((e: unknown) => e);
    expect((unknown as McpError).message).toMatch(/Unknown tool nosuch__echo/);
  });

  it('logs in headless through auth_login (Atlassian shape), announces the new tools and calls them', async () => {
    const before = listChanged();
    const login = await client.callTool({ name: 'auth_login', arguments: { upstream: 'atlassian' } });
    const { authorizationUrl } = login.structuredContent as { authorizationUrl: string };
    const url = new URL(authorizationUrl);
    expect(url.origin).toBe(atlassianAs.origin);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toBe(aggregator.redirectUri);

    const page = await followLogin(authorizationUrl);
    expect(page.status).toBe(200);
    expect(page.url.startsWith(aggregator.redirectUri)).toBe(true);
    await waitForState(aggregator, 'atlassian', 'connected');
    await waitFor('tools/list_changed', () => listChanged() > before);

    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('atlassian__whoami');
    const who = await client.callTool({ name: 'atlassian__whoami', arguments: {} });
    expect(who.structuredContent).toMatchObject({ subject: 'testkit-user' });
    // RFC 8707: the MCP resource was the resource indicator at /authorize and /token.
    expect(atlassianAs.resourcesSeen).toEqual([atlassianMcp.url, atlassianMcp.url]);
  });

  it('logs in to the oidc-provider upstream with dynamic registration, stored per issuer', async () => {
    const login = await client.callTool({ name: 'auth_login', arguments: { upstream: 'oidc' } });
    const { authorizationUrl } = login.structuredContent as { authorizationUrl: string };
    expect((await followLogin(authorizationUrl)).status).toBe(200);
    await waitForState(aggregator, 'oidc', 'connected');
    const echoed = await client.callTool({
      name: 'oidc__echo',
      arguments: { text: 'through oidc-provider' },
    });
    expect(textOf(echoed)).toBe('through oidc-provider');
    // One registration per issuer (the aggregator's), tokens under the single implicit user.
    const stored = createFileStore({ dir: storage.dir });
    expect(await stored.list('clients/')).toHaveLength(2);
    expect(await stored.list('tokens/local/')).toHaveLength(2);
    expect(await stored.list('pending/')).toEqual([]);
  });

  it('refreshes a token before it expires, with openid-client', async () => {
    const tokenRequests = atlassianAs.count('/token');
    clockOffset = HOUR; // the access token (1 h) is now inside the refresh skew
    const echoed = await client.callTool({ name: 'atlassian__echo', arguments: { text: 'after refresh' } });
    expect(textOf(echoed)).toBe('after refresh');
    expect(atlassianAs.count('/token')).toBe(tokenRequests + 1);
    expect(state('atlassian')?.state).toBe('connected');
  });

  it('a refused refresh moves that upstream to auth_required and keeps the others', async () => {
    atlassianAs.failRefresh = true;
    clockOffset = 3 * HOUR;
    const error = await client
      .callTool({ name: 'atlassian__echo', arguments: { text: 'x' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    await waitForState(aggregator, 'atlassian', 'auth_required');
    expect(state('atlassian')?.error?.code).toBe(FlowErrorCodes.LOGIN_REQUIRED);
    expect(state('open')?.state).toBe('connected');
    const { tools } = await client.listTools();
    expect(tools.some((t) => t.name.startsWith('atlassian__'))).toBe(false);
    expect(tools.some((t) => t.name.startsWith('open__'))).toBe(true);
  });

  it('auth_logout forgets the tokens and removes the tools', async () => {
    const before = listChanged();
    const out = await client.callTool({ name: 'auth_logout', arguments: { upstream: 'oidc' } });
    expect(out.structuredContent).toMatchObject({ upstream: 'oidc', state: 'auth_required' });
    await waitFor('tools/list_changed after logout', () => listChanged() > before);
    const { tools } = await client.listTools();
    expect(tools.some((t) => t.name.startsWith('oidc__'))).toBe(false);
    const open = await client
      .callTool({ name: 'auth_logout', arguments: { upstream: 'open' } })
      .catch((e: unknown) => e);
    expect((open as McpError).message).toMatch(/uses auth none/);
  });

  it('refuses a callback for an unknown login with STATE_MISMATCH, and an expired one with LOGIN_REQUIRED', async () => {
    const unknown = await fetch(`${aggregator.redirectUri}?code=abc&state=never-issued`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('STATE_MISMATCH');

    const login = await client.callTool({ name: 'auth_login', arguments: { upstream: 'oidc' } });
    const { authorizationUrl } = login.structuredContent as { authorizationUrl: string };
    clockOffset = 601_000; // past loginTtlSeconds
    const page = await followLogin(authorizationUrl);
    expect(page.status).toBe(400);
    expect(page.body).toContain('LOGIN_REQUIRED');
    expect(page.body).toContain('expired');
    expect(state('oidc')?.state).toBe('auth_required');
  });

  it("a callback without state is STATE_MISMATCH; one carrying the server's refusal is AUTHORIZATION_FAILED, once", async () => {
    const stateless = await fetch(`${aggregator.redirectUri}?code=abc`);
    expect(stateless.status).toBe(400);
    const statelessPage = await stateless.text();
    expect(statelessPage).toContain('Login failed: STATE_MISMATCH');
    expect(statelessPage).toContain('OAuth callback with no state');

    const login = await client.callTool({ name: 'auth_login', arguments: { upstream: 'oidc' } });
    const { authorizationUrl } = login.structuredContent as { authorizationUrl: string };
    const issued = new URL(authorizationUrl).searchParams.get('state') ?? '';
    // The refusal as oidc-provider sends it: with its RFC 9207 iss (it advertises the parameter).
    const refusal = `${aggregator.redirectUri}?error=access_denied&error_description=nope&state=${issued}&iss=${encodeURIComponent(op.issuer)}`;
    const denied = await fetch(refusal);
    expect(denied.status).toBe(400);
    const deniedPage = await denied.text();
    expect(deniedPage).toContain('Login failed: AUTHORIZATION_FAILED');
    expect(deniedPage).toContain('refused the login for upstream oidc: access_denied (nope)');
    // The login is used up: the same callback again matches no login.
    const again = await fetch(refusal);
    expect(await again.text()).toContain('STATE_MISMATCH');
    expect(state('oidc')?.state).toBe('auth_required');
  });

  it('auth_login for an unknown upstream or one that failed discovery says why', async () => {
    const unknown = await client
      .callTool({ name: 'auth_login', arguments: { upstream: 'nope' } })
      .catch((e: unknown) => e);
    expect((unknown as McpError).message).toMatch(/No upstream named "nope"/);
    const failed = await client
      .callTool({ name: 'auth_login', arguments: { upstream: 'mismatch' } })
      .catch((e: unknown) => e);
    expect((failed as McpError).message).toMatch(/is failed \(ISSUER_MISMATCH/);
  });

  it('made no state transition outside the table (TRANSITIONS)', () => {
    expect(log.filter((line) => line.startsWith('invalid transition'))).toEqual([]);
    expect(log.filter((line) => line.startsWith('upstream ')).length).toBeGreaterThan(10);
  });
});
