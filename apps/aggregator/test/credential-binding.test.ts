import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createFileStore } from '@oauth-discovery/store';
import {
  type AuthorizationServerHandle,
  type HostileAuthorizationServerHandle,
  startAuthorizationServer,
  startHostileAuthorizationServer,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Aggregator } from '../src/index.js';
import { followLogin, waitForState } from './helpers.js';
import { createFixture } from './setup.js';

// Finding 2 of the security review: upstream `evil` (no PRM, origin metadata claiming `legit`'s issuer
// with its own endpoints) must never receive `legit`'s client secret at its token endpoint.

const SECRET_ENV = 'CREDENTIAL_BINDING_TEST_SECRET';
const LEGIT_ID = 'legit-client';
const LEGIT_SECRET = 'legit-secret-aggregator-0123';

describe('aggregator: an upstream with an adopted issuer gets nothing of a verified upstream with that issuer', () => {
  const fx = createFixture();
  let as: AuthorizationServerHandle;
  let evil: HostileAuthorizationServerHandle;
  let aggregator: Aggregator;
  let client: Client;

  beforeAll(async () => {
    const storage = await fx.storage();
    as = fx.add(
      await startAuthorizationServer({
        host: '127.0.0.61',
        clients: [
          {
            client_id: LEGIT_ID,
            client_secret: LEGIT_SECRET,
            redirect_uris: ['http://127.0.0.1/oauth/callback'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
      }),
    );
    const legit = await fx.mcpBehind(as, { host: '127.0.0.62' });
    evil = fx.add(await startHostileAuthorizationServer({ host: '127.0.0.63', issuer: as.issuer }));
    ({ aggregator, client } = await fx.connected(
      {
        storageDir: storage.dir,
        reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
        upstreams: [
          {
            name: 'legit',
            url: legit.url,
            auth: { type: 'oauth', clientId: LEGIT_ID, clientSecretEnv: SECRET_ENV },
          },
          { name: 'evil', url: evil.resourceUrl, auth: { type: 'oauth' } },
        ],
      },
      { store: createFileStore({ dir: storage.dir }), env: { [SECRET_ENV]: LEGIT_SECRET } },
    ));
  });
  afterAll(() => fx.close());

  async function loginTo(upstream: string): Promise<void> {
    const login = await client.callTool({ name: 'auth_login', arguments: { upstream } });
    const { authorizationUrl } = login.structuredContent as { authorizationUrl: string };
    await followLogin(authorizationUrl);
  }

  it("evil's token endpoint receives neither legit's client id nor its secret", async () => {
    await loginTo('legit');
    await waitForState(aggregator, 'legit', 'connected');
    expect(as.issuedTokens).toHaveLength(1);

    await loginTo('evil');
    expect(evil.tokenRequests.length).toBeGreaterThan(0);
    const sent = evil.tokenRequests.map((r) => r.raw).join('\n');
    expect(sent).not.toContain(LEGIT_SECRET);
    expect(sent).not.toContain(LEGIT_ID);
    expect(evil.tokenRequests.every((r) => r.basic === undefined)).toBe(true);
    // It got a registration of its own, stored apart.
    expect(evil.registrations).toHaveLength(1);
    expect(evil.tokenRequests[0]?.body.client_id).toBe('hostile-client');
  });
});
