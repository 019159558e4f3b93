import { createServer } from 'node:net';
import {
  type DiscoveryState,
  ErrorCodes,
  type HttpClient,
  type StrategyContext,
} from '@oauth-discovery/core';
import { createHttpClient } from '@oauth-discovery/core/http';
import {
  resourceMetadataChallenge,
  startWorld,
  stateWith,
  strategyContext,
  unauthorized,
  type World,
} from '@oauth-discovery/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { wwwAuthenticate } from '../src/index.js';

const http = createHttpClient({ allowPrivateNetwork: true });
afterAll(() => http.close());

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function context(
  state: Partial<DiscoveryState> & Pick<DiscoveryState, 'resource'>,
  options: { http?: HttpClient; signal?: AbortSignal } = {},
): StrategyContext & { readonly notes: string[] } {
  return strategyContext({ ...stateWith(state.resource), ...state }, options.http ?? http, options.signal);
}

/** A world with one origin `mcp` whose `/mcp` answers with `route`; returns the resource URL. */
async function resourceAnswering(route: Parameters<typeof startWorld>[0]['origins'][string]['routes']) {
  world = await startWorld({ origins: { mcp: { routes: route ?? {} } } });
  return world.url('mcp', '/mcp');
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new TypeError('no port');
  return address.port;
}

/** A resource at `/mcp` answering 401 with `headers`, keeping the body of what it received. */
async function startBodyRecordingWorld(headers: Record<string, string>) {
  let body = '';
  world = await startWorld({
    origins: {
      mcp: {
        routes: {
          '/mcp': {
            handler: async (req, res) => {
              for await (const chunk of req) body += String(chunk);
              res.writeHead(401, headers).end();
            },
          },
        },
      },
    },
  });
  return { world, body: () => body };
}

describe('wwwAuthenticate strategy', () => {
  it('is named www-authenticate and contributes the challenge', () => {
    const strategy = wwwAuthenticate();
    expect(strategy.name).toBe('www-authenticate');
    expect(strategy.contributes).toEqual(['challenge']);
    expect('prefetch' in strategy).toBe(false);
  });

  it('parses the header the caller gave and makes no request', async () => {
    const resource = await resourceAnswering({ '/mcp': unauthorized('Bearer realm="never asked"') });
    const ctx = context({
      resource,
      wwwAuthenticate: 'Basic realm="x", Bearer resource_metadata="https://r.example/prm", scope="a b"',
      wwwAuthenticateStatus: 401,
    });
    const outcome = await wwwAuthenticate().run(ctx);
    expect(outcome).toEqual({
      status: 'found',
      contribution: {
        challenge: {
          scheme: 'Bearer',
          resourceMetadata: 'https://r.example/prm',
          scope: ['a', 'b'],
          status: 401,
          params: { resource_metadata: 'https://r.example/prm', scope: 'a b' },
        },
      },
    });
    expect(ctx.notes).toEqual([
      'Bearer challenge from the caller: resource_metadata https://r.example/prm, scope "a b"',
    ]);
    expect(world?.requests).toHaveLength(0);
  });

  it('is not-found, without a request, when the caller header has no usable challenge', async () => {
    const resource = await resourceAnswering({ '/mcp': unauthorized('Bearer realm="never asked"') });
    const outcome = await wwwAuthenticate().run(
      context({ resource, wwwAuthenticate: 'Basic realm="x", Negotiate' }),
    );
    expect(outcome).toEqual({
      status: 'not-found',
      reason: 'WWW-Authenticate given by the caller has no usable challenge (schemes: Basic, Negotiate)',
    });
    expect(world?.requests).toHaveLength(0);
  });

  it('probes with one POST initialize and the MCP headers', async () => {
    const received = await startBodyRecordingWorld({ 'www-authenticate': 'Bearer realm="mcp"' });
    await wwwAuthenticate().run(context({ resource: received.world.url('mcp', '/mcp') }));
    const body = received.body();
    expect(received.world.requests).toHaveLength(1);
    const [request] = received.world.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/mcp');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.accept).toBe('application/json, text/event-stream');
    expect(request?.headers.authorization).toBeUndefined();
    expect(JSON.parse(body)).toEqual({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'oauth-discovery', version: expect.any(String) },
      },
    });
  });

  it('finds the challenge of a 401 with resource_metadata', async () => {
    const resource = await resourceAnswering({
      '/mcp': unauthorized((w) =>
        resourceMetadataChallenge(w.url('mcp', '/.well-known/oauth-protected-resource/mcp')),
      ),
    });
    const ctx = context({ resource });
    const outcome = await wwwAuthenticate().run(ctx);
    const prm = world?.url('mcp', '/.well-known/oauth-protected-resource/mcp');
    expect(outcome).toEqual({
      status: 'found',
      contribution: {
        challenge: {
          scheme: 'Bearer',
          resourceMetadata: prm,
          status: 401,
          params: { resource_metadata: prm },
        },
      },
    });
    expect(ctx.notes).toEqual([
      `Bearer challenge from probe POST ${resource} → 401: resource_metadata ${prm}`,
    ]);
  });

  it('finds a challenge without resource_metadata and says so (Atlassian v1)', async () => {
    const resource = await resourceAnswering({
      '/mcp': unauthorized(
        'Bearer realm="OAuth", error="invalid_token", error_description="Missing or invalid access token"',
      ),
    });
    const ctx = context({ resource });
    const outcome = await wwwAuthenticate().run(ctx);
    expect(outcome).toMatchObject({
      status: 'found',
      contribution: { challenge: { scheme: 'Bearer', error: 'invalid_token', status: 401 } },
    });
    expect(ctx.notes).toEqual([
      `Bearer challenge from probe POST ${resource} → 401: no resource_metadata, error invalid_token`,
    ]);
  });

  it('finds a 403 insufficient_scope challenge with its scope', async () => {
    const resource = await resourceAnswering({
      '/mcp': {
        status: 403,
        headers: { 'www-authenticate': 'Bearer error="insufficient_scope", scope="files:read files:write"' },
      },
    });
    const outcome = await wwwAuthenticate().run(context({ resource }));
    expect(outcome).toEqual({
      status: 'found',
      contribution: {
        challenge: {
          scheme: 'Bearer',
          error: 'insufficient_scope',
          scope: ['files:read', 'files:write'],
          status: 403,
          params: { error: 'insufficient_scope', scope: 'files:read files:write' },
        },
      },
    });
  });

  it('reads a challenge split over several WWW-Authenticate header lines', async () => {
    const resource = await resourceAnswering({
      '/mcp': {
        status: 401,
        headers: {
          'www-authenticate': ['Basic realm="legacy"', 'Bearer resource_metadata="https://r.example/prm"'],
        },
      },
    });
    const outcome = await wwwAuthenticate().run(context({ resource }));
    expect(outcome).toMatchObject({
      status: 'found',
      contribution: { challenge: { scheme: 'Bearer', resourceMetadata: 'https://r.example/prm' } },
    });
  });

  it.each([
    ['401 without a header', unauthorized(undefined), '401 without WWW-Authenticate'],
    [
      '401 with only a Basic challenge',
      unauthorized('Basic realm="x"'),
      '401 with no usable challenge in WWW-Authenticate (schemes: Basic)',
    ],
    [
      '401 with a garbage header',
      unauthorized('="x", ,'),
      '401 with no usable challenge in WWW-Authenticate (schemes: none parsed)',
    ],
    [
      '200',
      { json: { jsonrpc: '2.0', id: 0, result: {} } },
      'resource answered without authentication (200)',
    ],
    [
      '200 event stream',
      {
        body: 'event: message\ndata: {"jsonrpc":"2.0","id":0,"result":{}}\n\n',
        contentType: 'text/event-stream',
      },
      'resource answered without authentication (200)',
    ],
    ['404', { status: 404 }, 'resource answered 404, not 401/403'],
    ['405 for POST', { method: 'GET' as const }, 'resource answered 405, not 401/403'],
    ['500', { status: 500, body: 'boom' }, 'resource answered 500, not 401/403'],
  ])('is not-found on %s', async (_name, route, reason) => {
    const resource = await resourceAnswering({ '/mcp': route });
    const ctx = context({ resource });
    const outcome = await wwwAuthenticate().run(ctx);
    expect(outcome).toMatchObject({ status: 'not-found', reason });
    // Only a failing answer is recorded as a miss (the pipeline then refuses to guess endpoints).
    const misses = outcome.status === 'not-found' ? outcome.misses : undefined;
    if ('status' in route && route.status === 500) {
      expect(misses).toEqual([
        {
          url: resource,
          label: 'probe',
          code: 'HTTP_ERROR',
          status: 500,
          message: `probe POST ${resource} answered HTTP 500`,
        },
      ]);
    } else {
      expect(misses).toBeUndefined();
    }
    expect(ctx.notes).toEqual([]);
    expect(world?.requests).toHaveLength(1);
  });

  it('is not-found with NETWORK_ERROR when the resource is down', async () => {
    const resource = `http://127.0.0.1:${await closedPort()}/mcp`;
    const outcome = await wwwAuthenticate().run(context({ resource }));
    expect(outcome.status).toBe('not-found');
    expect(outcome.status === 'not-found' && outcome.reason).toMatch(
      new RegExp(`^probe POST ${resource.replaceAll('.', '\\.')} failed: NETWORK_ERROR: `),
    );
    expect(outcome.status === 'not-found' && outcome.misses?.map((m) => [m.label, m.code])).toEqual([
      ['probe', 'NETWORK_ERROR'],
    ]);
  });

  it('is skipped without a header when probing is off', async () => {
    const resource = await resourceAnswering({ '/mcp': unauthorized('Bearer realm="x"') });
    expect(await wwwAuthenticate({ probe: false }).run(context({ resource }))).toEqual({
      status: 'skipped',
      reason: 'no WWW-Authenticate given and probing is off',
    });
    expect(world?.requests).toHaveLength(0);
  });

  it('still parses the caller header when probing is off', async () => {
    const outcome = await wwwAuthenticate({ probe: false }).run(
      context({ resource: 'https://mcp.example/mcp', wwwAuthenticate: 'Bearer scope=x' }),
    );
    expect(outcome).toMatchObject({ status: 'found', contribution: { challenge: { scope: ['x'] } } });
  });

  it('sends the configured clientInfo', async () => {
    const received = await startBodyRecordingWorld({});
    await wwwAuthenticate({ clientInfo: { name: 'my-app', version: '1.2.3' } }).run(
      context({ resource: received.world.url('mcp', '/mcp') }),
    );
    expect(JSON.parse(received.body()).params.clientInfo).toEqual({ name: 'my-app', version: '1.2.3' });
  });

  describe('errors that must stop discovery', () => {
    const strictHttp = createHttpClient();
    afterAll(() => strictHttp.close());

    it('rethrows BLOCKED_ADDRESS from the SSRF guard', async () => {
      const resource = await resourceAnswering({ '/mcp': unauthorized('Bearer realm="x"') });
      await expect(wwwAuthenticate().run(context({ resource }, { http: strictHttp }))).rejects.toMatchObject({
        code: ErrorCodes.BLOCKED_ADDRESS,
      });
      expect(world?.requests).toHaveLength(0);
    });

    it('rethrows INSECURE_URL for plain http to a public host', async () => {
      await expect(
        wwwAuthenticate().run(context({ resource: 'http://mcp.example.com/mcp' }, { http: strictHttp })),
      ).rejects.toMatchObject({ code: ErrorCodes.INSECURE_URL });
    });

    it('rethrows ABORTED when the caller aborts', async () => {
      const resource = await resourceAnswering({ '/mcp': { hang: true } });
      const controller = new AbortController();
      const run = wwwAuthenticate().run(context({ resource }, { signal: controller.signal }));
      await expect.poll(() => world?.requests.length).toBe(1);
      controller.abort();
      await expect(run).rejects.toMatchObject({ code: ErrorCodes.ABORTED });
    });
  });
});
