import {
  type McpServerHandle,
  type OidcProviderHandle,
  startMcpServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { browserSkipReason, CHROMIUM_PATH } from '@oauth-discovery/testkit/browser';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userIdOf } from '../src/gateway-auth.js';
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
  let signedIn: Aggregator;
  let signedInUrl: string;
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
    // A gateway whose page signs browsers in at the team IdP (client `gateway-page`), and one without.
    const pagePort = await freePort();
    signedInUrl = `http://127.0.0.1:${pagePort}`;
    idp = await startOidcProvider({
      clients: [
        gatewayClientMetadata,
        {
          client_id: 'gateway-page',
          client_secret: 'gateway-page-secret-0123456789',
          redirect_uris: [`${signedInUrl}/ui/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
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
    signedIn = await startAggregator(
      validateConfig({
        listen: { host: '127.0.0.1', port: pagePort },
        publicUrl: signedInUrl,
        auth: {
          type: 'oauth',
          issuer: idp.issuer,
          scopes: ['mcp'],
          browser: { clientId: 'gateway-page', clientSecretEnv: 'PAGE_SECRET' },
        },
        storageDir: `${storage.dir}/signed-in`,
        upstreams,
      }),
      { env: { OAUTH_DISCOVERY_STORE_KEYS: storeKeys(), PAGE_SECRET: 'gateway-page-secret-0123456789' } },
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
    await signedIn?.close();
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

  it.skipIf(skip !== undefined)(
    `in headless Chromium: signs in at the team IdP, logs in to an upstream, sees its tools${skip ? ` — skipped: ${skip}` : ''}`,
    async () => {
      const page = await (browser as Browser).newPage();
      // No session: the page sends the browser to the team IdP, which approves and sends it back.
      await page.goto(`${signedInUrl}/`);
      await page.waitForURL(`${signedInUrl}/`);
      expect(await page.textContent('#user')).toBe(`Signed in as ${idp.accountId} at ${idp.issuer}`);
      const cookies = await page.context().cookies();
      expect(cookies.find((cookie) => cookie.name === 'aggregator_session')).toMatchObject({
        httpOnly: true,
        sameSite: 'Lax',
      });
      const state = (name: string) => page.textContent(`tr[data-upstream="${name}"] td[data-state]`);
      expect(await state('oidc')).toContain('auth_required');
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
      // A login another user started, opened in this signed-in browser, is refused and lands nowhere.
      const mallory = { issuer: idp.issuer, subject: 'mallory', id: userIdOf(idp.issuer, 'mallory') };
      const started = await signedIn.spaceOf(mallory).upstreams.get('oidc')?.login();
      await page.goto(started?.url ?? '');
      await page.waitForURL(/\/oauth\/callback/);
      expect(await page.textContent('h1')).toBe('Login failed: STATE_MISMATCH');
      expect(signedIn.spaceOf(mallory).upstreams.get('oidc')?.status().state).toBe('auth_required');
      await page.close();
      // The cookie is for the page only: the MCP endpoint still wants a bearer token.
      const cookie = cookies.find((c) => c.name === 'aggregator_session');
      const mcp = await fetch(signedIn.mcpUrl, {
        method: 'POST',
        headers: { cookie: `aggregator_session=${cookie?.value}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(mcp.status).toBe(401);
    },
  );

  it('a sign-in callback with an unknown state is refused (STATE_MISMATCH), and sets no cookie', async () => {
    const response = await fetch(`${signedInUrl}/ui/callback?state=made-up&code=x`, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toContain('Sign-in failed: STATE_MISMATCH');
    // A made-up session cookie is no session: off to sign in.
    const page = await fetch(`${signedInUrl}/`, {
      redirect: 'manual',
      headers: { cookie: 'aggregator_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/ui/signin');
  });

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
