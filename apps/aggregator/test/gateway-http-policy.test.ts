import {
  authorizationServerMetadata,
  type McpServerHandle,
  startMcpServer,
  startWorld,
  type World,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Aggregator, type LogEvent, startAggregator, validateConfig } from '../src/index.js';
import { storeKeys } from './gateway-helpers.js';
import { tempDir } from './helpers.js';

// The bearer-token checks' own requests (the issuer's JWKS, RFC 7662 introspection) go through the
// aggregator's HTTP client: its user agent, SSRF guard, HTTPS-except-loopback rule and same-origin redirects.

/** A well-formed RFC 9068 JWT whose key (`kid`) no JWKS here holds: checking it needs the issuer's JWKS. */
const JWT = [
  { alg: 'RS256', typ: 'at+jwt', kid: 'nowhere' },
  { iss: 'x', sub: 'alice', aud: 'x', exp: 4_000_000_000 },
]
  .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
  .concat('c2lnbmF0dXJl')
  .join('.');

/** The team issuers of this test: one path of the `idp` origin each, with its own `jwks_uri`/introspection. */
const ISSUERS: Record<string, (world: World) => Record<string, string>> = {
  served: (w) => ({
    jwks_uri: w.url('idp', '/served/jwks'),
    introspection_endpoint: w.url('idp', '/served/introspect'),
  }),
  blocked: () => ({
    jwks_uri: 'https://10.20.30.40/jwks',
    introspection_endpoint: 'https://169.254.169.254/introspect',
  }),
  redirected: (w) => ({ jwks_uri: w.url('idp', '/redirected/jwks') }),
  failing: (w) => ({ jwks_uri: w.url('idp', '/failing/jwks') }),
};

describe("the token checks' requests go through the aggregator's HTTP client", () => {
  let world: World;
  let upstream: McpServerHandle;
  let storage: Awaited<ReturnType<typeof tempDir>>;
  const started: Aggregator[] = [];
  const env = { OAUTH_DISCOVERY_STORE_KEYS: storeKeys(), INTROSPECTION_SECRET: 'introspection-secret' };

  beforeAll(async () => {
    storage = await tempDir();
    upstream = await startMcpServer({ host: '127.0.0.3' });
    world = await startWorld({
      origins: {
        idp: {
          routes: {
            ...Object.fromEntries(
              Object.entries(ISSUERS).map(([name, fields]) => [
                `/.well-known/oauth-authorization-server/${name}`,
                {
                  json: (w: World) =>
                    authorizationServerMetadata({ issuer: w.url('idp', `/${name}`), extra: fields(w) }),
                },
              ]),
            ),
            '/served/jwks': { json: { keys: [] } },
            '/served/introspect': { method: 'POST', json: { active: false } },
            '/redirected/jwks': { redirect: (w) => w.url('elsewhere', '/jwks') },
            '/failing/jwks': { status: 500, json: { error: 'down' } },
          },
        },
        elsewhere: { routes: { '/jwks': { json: { keys: [] } } } },
      },
    });
  });
  afterAll(async () => {
    await Promise.all(started.map((aggregator) => aggregator.close()));
    await Promise.all([world?.close(), upstream?.close()]);
    await storage?.remove();
  });

  /** An aggregator whose team issuer is `idp/<issuer>`, and the events it logs. */
  async function gateway(issuer: string, introspection?: { endpoint?: string }) {
    const events: LogEvent[] = [];
    const aggregator = await startAggregator(
      validateConfig({
        listen: { host: '127.0.0.1', port: 0 },
        auth: {
          type: 'oauth',
          issuer: world.url('idp', `/${issuer}`),
          introspection:
            introspection === undefined
              ? undefined
              : { ...introspection, clientId: 'gateway', clientSecretEnv: 'INTROSPECTION_SECRET' },
        },
        storageDir: storage.dir,
        upstreams: [{ name: 'open', url: upstream.url, auth: { type: 'none' as const } }],
      }),
      { env, log: (event) => events.push(event) },
    );
    started.push(aggregator);
    const call = (token: string) =>
      fetch(aggregator.mcpUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    const unavailable = () => events.filter((event) => event.event === 'token-check-unavailable');
    return { call, unavailable };
  }

  /** The core error code the aggregator logged for a 503, after checking the 503 itself. */
  async function refusedWith(response: Response, unavailable: () => LogEvent[]) {
    expect(response.status).toBe(503);
    expect(response.headers.get('www-authenticate')).toContain('error="temporarily_unavailable"');
    const [event] = unavailable();
    return event?.error as { code: string; message: string } | undefined;
  }

  it("fetches the JWKS with core's client (its user agent), and jose still refuses an unknown key", async () => {
    const { call } = await gateway('served');
    const response = await call(JWT);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const [jwks] = world.requestsTo('idp').filter((request) => request.path === '/served/jwks');
    expect(jwks?.method).toBe('GET');
    expect(jwks?.headers['user-agent']).toMatch(/^oauth-discovery\//);
  });

  it('refuses a jwks_uri on a private address (BLOCKED_ADDRESS), answering 503', async () => {
    const { call, unavailable } = await gateway('blocked');
    const error = await refusedWith(await call(JWT), unavailable);
    expect(error?.code).toBe('BLOCKED_ADDRESS');
    expect(error?.message).toContain('10.20.30.40');
  });

  it('follows no JWKS redirect to another origin (CROSS_ORIGIN_REDIRECT)', async () => {
    const { call, unavailable } = await gateway('redirected');
    const error = await refusedWith(await call(JWT), unavailable);
    expect(error?.code).toBe('CROSS_ORIGIN_REDIRECT');
    expect(world.requestsTo('idp').map((request) => request.path)).toContain('/redirected/jwks');
    expect(world.requestsTo('elsewhere')).toEqual([]);
  });

  it('answers 503 (HTTP_ERROR), not invalid_token, when the JWKS answers HTTP 500', async () => {
    const { call, unavailable } = await gateway('failing');
    const error = await refusedWith(await call(JWT), unavailable);
    expect(error?.code).toBe('HTTP_ERROR');
  });

  it("introspects with core's client: a form POST with HTTP Basic client authentication", async () => {
    const { call } = await gateway('served', {});
    const response = await call('opaque-token');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error_description="the token is not active"');
    const [request] = world.requestsTo('idp').filter((entry) => entry.path === '/served/introspect');
    expect(request?.method).toBe('POST');
    expect(request?.headers['user-agent']).toMatch(/^oauth-discovery\//);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('gateway:introspection-secret').toString('base64')}`,
    );
  });

  it('refuses an advertised introspection endpoint on the cloud metadata address (BLOCKED_ADDRESS)', async () => {
    const { call, unavailable } = await gateway('blocked', {});
    const error = await refusedWith(await call('opaque-token'), unavailable);
    expect(error?.code).toBe('BLOCKED_ADDRESS');
    expect(error?.message).toContain('169.254.169.254');
  });

  it('refuses a configured http: introspection endpoint off loopback (INSECURE_URL)', async () => {
    const { call, unavailable } = await gateway('served', { endpoint: 'http://introspection.invalid/check' });
    const error = await refusedWith(await call('opaque-token'), unavailable);
    expect(error?.code).toBe('INSECURE_URL');
  });
});
