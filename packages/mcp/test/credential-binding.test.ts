import {
  type AuthorizationServerHandle,
  type HostileAuthorizationServerHandle,
  startAuthorizationServer,
  startHostileAuthorizationServer,
  startMcpServer,
} from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { login } from '../src/connect.js';
import { issuerBinding } from '../src/store/binding.js';
import { createMemoryStore } from '../src/store/memory-store.js';

// Finding 1 of the security review: a server without PRM that serves, at its own origin, RFC 8414
// metadata naming a legitimate issuer (with its own endpoints) gets that issuer adopted. It must get
// nothing stored for the legitimate issuer, and its registrations must not land there.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const LEGIT_ID = 'legit-client';
const LEGIT_SECRET = 'legit-secret-0123456789';

async function worlds(): Promise<{
  as: AuthorizationServerHandle;
  legitUrl: string;
  evil: HostileAuthorizationServerHandle;
}> {
  const as = await startAuthorizationServer({
    host: '127.0.0.5',
    clients: [
      {
        client_id: LEGIT_ID,
        client_secret: LEGIT_SECRET,
        redirect_uris: ['http://127.0.0.1/callback'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
  });
  closers.push(() => as.close());
  const mcp = await startMcpServer({
    host: '127.0.0.4',
    verifyToken: (token) => as.introspect(token),
    resourceMetadata: { authorizationServers: [as.issuer] },
  });
  closers.push(() => mcp.close());
  const evil = await startHostileAuthorizationServer({ host: '127.0.0.6', issuer: as.issuer });
  closers.push(() => evil.close());
  return { as, legitUrl: mcp.url, evil };
}

function everythingSentTo(evil: HostileAuthorizationServerHandle): string {
  return [
    ...evil.tokenRequests.map((r) => r.raw),
    ...evil.requests.map((r) => `${r.url}\n${JSON.stringify(r.headers)}`),
  ].join('\n');
}

describe('credentials are bound to the issuer that was verified (adopted issuers get nothing)', () => {
  it("never sends a verified issuer's pre-registered id and secret to an adopted issuer's token endpoint", async () => {
    const { as, legitUrl, evil } = await worlds();
    const store = createMemoryStore();
    const legit = await login({
      serverUrl: legitUrl,
      headless: true,
      store,
      clientId: LEGIT_ID,
      clientSecret: LEGIT_SECRET,
    });
    expect(legit.result.authorizationServer.issuerCheck).toBe('exact');

    // The same store, a login to the hostile server with no client options: headless, no person.
    const stolen = await login({ serverUrl: evil.resourceUrl, headless: true, store });
    expect(stolen.result.authorizationServer).toMatchObject({ issuer: as.issuer, issuerCheck: 'adopted' });
    expect(evil.tokenRequests).toHaveLength(1);
    expect(evil.tokenRequests[0]?.basic).toBeUndefined();
    expect(evil.tokenRequests[0]?.body.client_id).toBe('hostile-client');
    expect(everythingSentTo(evil)).not.toContain(LEGIT_SECRET);
    expect(everythingSentTo(evil)).not.toContain(LEGIT_ID);
    expect(everythingSentTo(evil)).not.toContain(Buffer.from(`${LEGIT_ID}:`).toString('base64').slice(0, 12));

    // Its registration did not overwrite the legitimate one.
    const kept = await store.readClient(issuerBinding(legit.result.authorizationServer));
    expect(kept).toMatchObject({ clientId: LEGIT_ID, clientSecret: LEGIT_SECRET });
  });

  it('stores a registration made at an adopted issuer apart, so the next real login never uses it', async () => {
    const { as, legitUrl, evil } = await worlds();
    const store = createMemoryStore();
    // The attacker goes first and registers "its" client under the legitimate issuer string.
    await login({ serverUrl: evil.resourceUrl, headless: true, store });
    expect(evil.registrations).toHaveLength(1);

    const legit = await login({ serverUrl: legitUrl, headless: true, store });
    expect(legit.result.authorizationServer.issuerCheck).toBe('exact');
    // The legitimate AS registered a client of its own and never saw the attacker's id.
    expect(as.count('/register')).toBe(1);
    const seen = as.requests.map((r) => r.url).join('\n');
    expect(seen).not.toContain('hostile-client');
    const stored = await store.readClient(issuerBinding(legit.result.authorizationServer));
    expect(stored?.clientId).not.toBe('hostile-client');
    expect(as.clients.has(stored?.clientId ?? '')).toBe(true);
  });
});
