import {
  type McpServerHandle,
  type OidcProviderHandle,
  startMcpServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { browserSkipReason, CHROMIUM_PATH } from '@oauth-discovery/testkit/browser';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Aggregator, startAggregator, validateConfig } from '../src/index.js';
import { connectAs, freePort, gatewayClientMetadata, mintAccessToken, storeKeys } from './gateway-helpers.js';
import { tempDir } from './helpers.js';

// Issue 14: the status page at `/` — server-rendered, no script, forms with a CSRF token.

const skip = browserSkipReason();

describe('the status page', () => {
  let op: OidcProviderHandle;
  let opMcp: McpServerHandle;
  let openMcp: McpServerHandle;
  let storage: Awaited<ReturnType<typeof tempDir>>;
  let aggregator: Aggregator;
  let gateway: Aggregator;
  let idp: OidcProviderHandle;
  let browser: Browser | undefined;

  beforeAll(async () => {
    storage = await tempDir();
    op = await startOidcProvider({
      host: '127.0.0.101',
      resourceServers: (resource) => (resource === opMcp.url ? { scope: 'mcp:tools' } : undefined),
    });
    opMcp = await startMcpServer({
      host: '127.0.0.102',
      verifyToken: (token) => op.verifyAccessToken(token, opMcp.url),
      resourceMetadata: { authorizationServers: [op.issuer], scopesSupported: ['mcp:tools'] },
    });
    openMcp = await startMcpServer({ host: '127.0.0.103' });
    const upstreams = [
      { name: 'oidc', url: opMcp.url, auth: { type: 'oauth' as const, issuer: op.issuer } },
      { name: 'open', url: openMcp.url, auth: { type: 'none' as const } },
    ];
    aggregator = await startAggregator(
      validateConfig({ listen: { host: '127.0.0.1', port: 0 }, storageDir: storage.dir, upstreams }),
      { env: {} },
    );
    await aggregator.ready;
    idp = await startOidcProvider({
      clients: [gatewayClientMetadata],
      resourceServers: () => ({ scope: 'mcp' }),
    });
    const port = await freePort();
    gateway = await startAggregator(
      validateConfig({
        listen: { host: '127.0.0.1', port },
        publicUrl: `http://127.0.0.1:${port}`,
        auth: { type: 'oauth', issuer: idp.issuer },
        storageDir: `${storage.dir}/gateway`,
        upstreams,
      }),
      { env: { OAUTH_DISCOVERY_STORE_KEYS: storeKeys() } },
    );
    if (skip === undefined)
      browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        args: ['--headless', '--no-sandbox'],
      });
  });
  afterAll(async () => {
    await browser?.close();
    await aggregator?.close();
    await gateway?.close();
    await Promise.all([op?.close(), opMcp?.close(), openMcp?.close(), idp?.close()]);
    await storage?.remove();
  });

  it.skipIf(skip !== undefined)(
    `in headless Chromium: shows the upstreams, logs in to one, shows its tools, logs out${skip ? ` — skipped: ${skip}` : ''}`,
    async () => {
      const page = await (browser as Browser).newPage();
      await page.goto(`${aggregator.origin}/`);
      expect(await page.textContent('#user')).toContain('Single user');
      expect(await page.evaluate('document.scripts.length')).toBe(0);
      const state = (name: string) => page.textContent(`tr[data-upstream="${name}"] td[data-state]`);
      expect(await state('oidc')).toContain('auth_required');
      expect(await state('open')).toContain('connected');
      expect(await page.textContent('tr[data-upstream="open"]')).toContain('echo');

      // The form posts, the aggregator redirects to the authorization server, which approves and
      // sends the browser to the callback.
      await page.click('text=Log in to oidc');
      await page.waitForURL(/\/oauth\/callback/);
      expect(await page.textContent('h1')).toBe('Logged in');
      await page.click('text=Status page');
      for (let tries = 0; tries < 50 && !(await state('oidc'))?.includes('connected'); tries += 1) {
        await new Promise((done) => setTimeout(done, 100));
        await page.reload();
      }
      expect(await state('oidc')).toContain('connected');
      expect(await page.textContent('tr[data-upstream="oidc"]')).toContain('echo');
      expect(await page.textContent('tr[data-upstream="oidc"] details summary')).toBe('Discovery trace');

      await page.click('text=Log out of oidc');
      await page.waitForURL(`${aggregator.origin}/`);
      expect(await state('oidc')).toContain('auth_required');
      await page.close();
    },
  );

  it('refuses a form without the CSRF token (403), and one from a foreign Origin (403)', async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${aggregator.origin}/ui/logout`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
    const missing = await post({}, 'upstream=open');
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('no valid CSRF token');
    const wrong = await post({}, 'upstream=open&csrf=AAAA');
    expect(wrong.status).toBe(403);
    const page = await (await fetch(`${aggregator.origin}/`)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const foreign = await post({ origin: 'http://evil.example' }, `upstream=oidc&csrf=${csrf}`);
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { header: string }).header).toBe('origin');
  });

  it('with auth.type oauth, the page needs a bearer token and shows only its user', async () => {
    const url = `${gateway.mcpUrl.replace(/\/mcp$/, '')}/`;
    expect((await fetch(url)).status).toBe(401);
    const token = await mintAccessToken(idp, 'alice', gateway.mcpUrl);
    // Alice's space exists once she used it; the page is hers.
    await (await connectAs(gateway.mcpUrl, token)).client.close();
    const page = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('Signed in as alice');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const csrfAlice = /name="csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
    // Alice's CSRF token is no good for bob.
    const bob = await mintAccessToken(idp, 'bob', gateway.mcpUrl);
    const refused = await fetch(`${url}ui/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: `upstream=oidc&csrf=${csrfAlice}`,
    });
    expect(refused.status).toBe(403);
  });
});
