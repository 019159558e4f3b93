import {
  type AuthorizationServerHandle,
  deeplyNestedJson,
  type HostileAuthorizationServerHandle,
  type McpServerHandle,
  rawTerminalControls,
  startAuthorizationServer,
  startCredentialStealingServer,
  startHostileAuthorizationServer,
  startMcpServer,
  TERMINAL_PAYLOAD,
  trickle,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuiltCli, tempHome } from './helpers.js';

// The CLI against the hostile-server suite: findings 6 (terminal escapes), 8 (trickling page),
// 13 (deep unknown fields) and 14 (expires_in 1e13) of the security review.

requireBuiltCli();

/** How the payload reads once escaped: JSON's escapes, visible, inert. */
const SHOWN = '\\u001b]0;pwned\\u0007';
const OMITTED = '[omitted: an unknown field deeper than 16 levels or larger than 16384 characters]';

let home: Awaited<ReturnType<typeof tempHome>>;
let env: Record<string, string>;
let escapes: HostileAuthorizationServerHandle;
let tokenError: HostileAuthorizationServerHandle;
let deep: HostileAuthorizationServerHandle;
let deeper: HostileAuthorizationServerHandle;
let longLived: HostileAuthorizationServerHandle;
let slow: HostileAuthorizationServerHandle;
let prmPayload: McpServerHandle;
let legitAs: AuthorizationServerHandle;
let legitMcp: McpServerHandle;
let stealer: HostileAuthorizationServerHandle;

const LEGIT_ID = 'cli-legit-client';
const LEGIT_SECRET = 'cli-legit-secret-0123456789';

beforeAll(async () => {
  home = await tempHome();
  env = { OAUTH_DISCOVERY_HOME: home.dir };
  [escapes, tokenError, deep, deeper, longLived, slow] = await Promise.all([
    startHostileAuthorizationServer({
      host: '127.0.9.1',
      metadata: (origin) => ({
        authorization_endpoint: `${origin}/authorize?x=${TERMINAL_PAYLOAD}`,
        token_endpoint: `${origin}/token/${TERMINAL_PAYLOAD}`,
        scopes_supported: [`read${TERMINAL_PAYLOAD}`],
      }),
    }),
    startHostileAuthorizationServer({
      host: '127.0.9.2',
      tokenError: { status: 400, body: { error: 'invalid_grant', error_description: TERMINAL_PAYLOAD } },
    }),
    startHostileAuthorizationServer({
      host: '127.0.9.3',
      rawMetadataFields: { x_deep: deeplyNestedJson(3_000) },
    }),
    startHostileAuthorizationServer({
      host: '127.0.9.4',
      rawMetadataFields: { x_deep: deeplyNestedJson(20_000) },
    }),
    startHostileAuthorizationServer({ host: '127.0.9.5', tokenResponse: { expires_in: 1e13 } }),
    startHostileAuthorizationServer({ host: '127.0.9.6', authorizationPage: trickle({ intervalMs: 200 }) }),
  ]);
  legitAs = await startAuthorizationServer({
    host: '127.0.9.8',
    clients: [
      {
        client_id: LEGIT_ID,
        client_secret: LEGIT_SECRET,
        redirect_uris: ['http://127.0.0.1/callback'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
  });
  legitMcp = await startMcpServer({
    host: '127.0.9.9',
    verifyToken: (token) => legitAs.introspect(token),
    resourceMetadata: { authorizationServers: [legitAs.issuer] },
  });
  stealer = await startCredentialStealingServer(legitAs.issuer, { host: '127.0.9.10' });
  prmPayload = await startMcpServer({
    host: '127.0.9.7',
    resourceMetadata: {
      authorizationServers: [escapes.issuer],
      resource: `https://evil.example/${TERMINAL_PAYLOAD}`,
    },
  });
});

afterAll(async () => {
  await Promise.all(
    [escapes, tokenError, deep, deeper, longLived, slow, prmPayload, legitMcp, legitAs, stealer].map(
      (server) => server?.close(),
    ),
  );
  await home?.remove();
});

describe('credentials bound to the verified issuer (finding 1)', () => {
  it('a server that claims a logged-in issuer gets neither its client id nor its secret', async () => {
    const legit = await cli(['login', legitMcp.url, '--headless', '--client-id', LEGIT_ID, '--json'], {
      ...env,
      OAUTH_DISCOVERY_CLIENT_SECRET: LEGIT_SECRET,
    });
    expect(legit.code).toBe(0);
    const evil = await cli(['login', stealer.resourceUrl, '--headless', '--json'], env);
    expect(evil.code).toBe(0);
    const sent = stealer.tokenRequests.map((r) => r.raw).join('\n');
    expect(stealer.tokenRequests.length).toBeGreaterThan(0);
    expect(sent).not.toContain(LEGIT_SECRET);
    expect(sent).not.toContain(LEGIT_ID);
  });
});

describe('terminal escape injection (finding 6): server text never reaches the terminal raw', () => {
  it('discover: OSC/CSI in metadata endpoints are shown escaped', async () => {
    const run = await cli(['discover', escapes.resourceUrl], env);
    expect(run.code).toBe(0);
    expect(rawTerminalControls(run.stdout + run.stderr)).toEqual([]);
    expect(run.stdout).toContain(SHOWN);
  });

  it('discover --json: scopes_supported with a payload stays JSON-equivalent and inert', async () => {
    const run = await cli(['discover', escapes.resourceUrl, '--json'], env);
    expect(run.code).toBe(0);
    expect(rawTerminalControls(run.stdout)).toEqual([]);
    const out = JSON.parse(run.stdout) as {
      authorizationServer: { metadata: { scopes_supported: string[] } };
    };
    expect(out.authorizationServer.metadata.scopes_supported).toEqual([`read${TERMINAL_PAYLOAD}`]);
  });

  it('an error quoting the PRM resource (RESOURCE_MISMATCH) is escaped on stderr', async () => {
    const run = await cli(['discover', prmPayload.url], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('RESOURCE_MISMATCH');
    expect(run.stderr).toContain(SHOWN);
    expect(rawTerminalControls(run.stdout + run.stderr)).toEqual([]);
  });

  it("the token endpoint's error_description is escaped (TOKEN_REQUEST_FAILED)", async () => {
    const run = await cli(['login', tokenError.resourceUrl, '--headless'], env);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('error TOKEN_REQUEST_FAILED');
    expect(run.stderr).toContain(SHOWN);
    expect(rawTerminalControls(run.stdout + run.stderr)).toEqual([]);
  });
});

describe('deep unknown metadata fields (finding 13)', () => {
  it.each([
    ['3,000', () => deep],
    ['20,000', () => deeper],
  ])(
    'discover --json with a field nested %s levels prints a small document with the field omitted',
    async (_d, server) => {
      const run = await cli(['discover', server().resourceUrl, '--json'], env);
      expect(run.code).toBe(0);
      expect(run.stdout.length).toBeLessThan(20_000);
      const out = JSON.parse(run.stdout) as { authorizationServer: { metadata: { x_deep: unknown } } };
      expect(out.authorizationServer.metadata.x_deep).toBe(OMITTED);
    },
  );
});

describe('hostile token lifetimes and pages (findings 14, 8)', () => {
  it('login with expires_in 1e13 succeeds and prints a valid expiry', async () => {
    const run = await cli(['login', longLived.resourceUrl, '--headless', '--json'], env);
    expect(run.stderr).not.toContain('RangeError');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { expiresAt: string };
    expect(Number.isNaN(Date.parse(out.expiresAt))).toBe(false);
  });

  it('login --headless --timeout stops an authorization page that trickles a byte at a time (TIMEOUT)', async () => {
    const run = await cli(['login', slow.resourceUrl, '--headless', '--timeout', '1000'], env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('error TIMEOUT');
  });
});
