import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscoveryError, ErrorCodes, isDiscoveryError } from '../errors.js';
import { createHttpClient } from '../http/client.js';
import { rejection } from '../testing.test-helper.js';
import type { DiscoveryStrategy } from '../types.js';
import { createPipeline, type Pipeline } from './create-pipeline.js';
import { fetchStrategy, foundServer, startServer, type TestServer } from './loopback-server.test-helper.js';

let resourceServer: TestServer;
let authServer: TestServer;
const pipelines: Pipeline[] = [];

beforeAll(async () => {
  resourceServer = await startServer('127.0.0.1', {
    '/.well-known/oauth-protected-resource/mcp': { status: 404 },
  });
  authServer = await startServer('127.0.0.2', {
    '/.well-known/oauth-authorization-server': (request) => ({
      body: { issuer: `http://${request.headers.host}`, code_challenge_methods_supported: ['S256'] },
    }),
    '/no-pkce': (request) => ({ body: { issuer: `http://${request.headers.host}` } }),
  });
});

afterAll(async () => {
  await Promise.all(pipelines.map((p) => p.close()));
  await Promise.all([resourceServer.close(), authServer.close()]);
});

function pipeline(
  strategies: DiscoveryStrategy[],
  options: Parameters<typeof createPipeline>[1] = {},
): Pipeline {
  const created = createPipeline(strategies, { cache: false, ...options });
  pipelines.push(created);
  return created;
}

const resource = (): string => resourceServer.url('/mcp');

describe('createPipeline().discover', () => {
  it('runs strategies in order until the authorization server is known, then skips the rest', async () => {
    const log: string[] = [];
    const p = pipeline(
      [
        fetchStrategy('prm', resourceServer.url('/.well-known/oauth-protected-resource/mcp'), { log }),
        fetchStrategy('as', authServer.url('/.well-known/oauth-authorization-server'), { log }),
        fetchStrategy('late', authServer.url('/.well-known/oauth-authorization-server'), { log }),
      ],
      { speculate: false },
    );
    const result = await p.discover(resource());
    expect(log).toEqual(['run prm', 'run as']);
    expect(result.authorizationServer.issuer).toBe(authServer.origin);
    expect(result.authorizationServer.source).toBe('as');
    expect(result.trace.steps.map((s) => [s.strategy, s.outcome])).toEqual([
      ['prm', 'not-found'],
      ['as', 'found'],
      ['late', 'skipped'],
    ]);
    expect(result.trace.steps[2]?.reason).toBe('authorization server already known from as');
    expect(result.trace.steps[0]?.attempts.map((a) => a.status)).toEqual([404]);
    expect(result.trace.requestCount).toBe(2);
    expect(result.trace.relaxations).toEqual([
      'allowAddressRanges:loopback (the resource is on a loopback address)',
    ]);
    expect(result.fromCache).toBe(false);
    expect(result.guessed).toBe(false);
    expect(result.pkce).toEqual({ s256Advertised: true, s256Usable: true });
    expect(result.scopes).toBeUndefined();
  });

  it('skips a strategy whose contributions are all known, naming who found them', async () => {
    const log: string[] = [];
    const prmDocument = { resource: resource(), scopes_supported: ['read'] };
    const prm: DiscoveryStrategy = {
      name: 'rfc9728',
      contributes: ['resourceMetadata', 'issuers'],
      async run() {
        log.push('run rfc9728');
        return {
          status: 'found',
          contribution: {
            resourceMetadata: { url: 'http://127.0.0.1/prm', document: prmDocument },
            issuers: [{ issuer: authServer.origin, source: 'rfc9728' }],
          },
          notes: ['PRM found'],
        };
      },
    };
    const second: DiscoveryStrategy = {
      ...prm,
      name: 'rfc9728-again',
      run: async () => ({ status: 'skipped', reason: 'x' }),
    };
    const p = pipeline([
      prm,
      second,
      fetchStrategy('as', authServer.url('/.well-known/oauth-authorization-server')),
    ]);
    const result = await p.discover(resource());
    expect(log).toEqual(['run rfc9728']);
    const skipped = result.trace.steps[1];
    expect(skipped?.outcome).toBe('skipped');
    expect(skipped?.reason).toBe(
      'resource metadata already known from rfc9728, issuer candidates already known from rfc9728',
    );
    expect(result.trace.steps[0]?.notes).toEqual(['PRM found']);
    expect(result.scopes).toEqual(['read']);
    expect(result.resourceMetadata?.document).toEqual(prmDocument);
    expect(result.issuers).toEqual([{ issuer: authServer.origin, source: 'rfc9728' }]);
  });

  it('records a strategy that returns skipped, and merges contributions (earlier strategies win)', async () => {
    const preset: DiscoveryStrategy = {
      name: 'preset:x',
      async run(ctx) {
        ctx.note('preset matched');
        return {
          status: 'found',
          contribution: {
            issuers: [
              {
                issuer: 'https://as.example',
                source: 'preset:x',
                acceptedIssuers: ['https://alias.example'],
              },
            ],
            hints: { pkceS256KnownSupported: true, defaultScopes: ['a'], notes: ['from preset'] },
          },
        };
      },
    };
    const notApplicable: DiscoveryStrategy = {
      name: 'www-authenticate',
      run: async () => ({ status: 'skipped', reason: 'no challenge' }),
    };
    const later: DiscoveryStrategy = {
      name: 'later',
      async run() {
        return {
          status: 'found',
          contribution: {
            issuers: [
              { issuer: 'https://as.example', source: 'later', acceptedIssuers: ['https://other.example'] },
              { issuer: 'https://second.example', source: 'later' },
            ],
            hints: { defaultScopes: ['b'], clientId: 'c1', notes: ['from later'] },
            authorizationServer: {
              ...foundServer(authServer.origin, 'later'),
              metadata: { issuer: authServer.origin },
            },
          },
        };
      },
    };
    const result = await pipeline([preset, notApplicable, later]).discover(resource());
    expect(result.trace.steps.map((s) => [s.strategy, s.outcome, s.reason])).toEqual([
      ['preset:x', 'found', undefined],
      ['www-authenticate', 'skipped', 'no challenge'],
      ['later', 'found', undefined],
    ]);
    expect(result.trace.steps[0]?.notes).toEqual(['preset matched']);
    expect(result.issuers).toEqual([
      {
        issuer: 'https://as.example',
        source: 'preset:x',
        acceptedIssuers: ['https://alias.example', 'https://other.example'],
      },
      { issuer: 'https://second.example', source: 'later' },
    ]);
    expect(result.hints).toEqual({
      pkceS256KnownSupported: true,
      defaultScopes: ['a'],
      clientId: 'c1',
      notes: ['from preset', 'from later'],
    });
    expect(result.scopes).toEqual(['a']);
    expect(result.pkce).toEqual({ s256Advertised: false, s256Usable: true });
  });

  it('records a throwing strategy as failed and goes on with the next one', async () => {
    const buggy: DiscoveryStrategy = {
      name: 'buggy',
      run: async () => {
        throw new TypeError('cannot read x of undefined');
      },
    };
    const typedFailure: DiscoveryStrategy = {
      name: 'typed',
      run: async (ctx) => {
        await ctx.http.request(authServer.url('/no-such-path'));
        throw new DiscoveryError(ErrorCodes.INVALID_METADATA, 'bad document', { url: 'x' });
      },
    };
    const garbage = { name: 'garbage', run: async () => 42 } as unknown as DiscoveryStrategy;
    const p = pipeline([
      buggy,
      typedFailure,
      garbage,
      fetchStrategy('as', authServer.url('/.well-known/oauth-authorization-server')),
    ]);
    const result = await p.discover(resource());
    const [first, second, third, fourth] = result.trace.steps;
    expect(first).toMatchObject({ outcome: 'failed', errorCode: ErrorCodes.STRATEGY_ERROR });
    expect(first?.reason).toContain('TypeError: cannot read x of undefined');
    expect(second).toMatchObject({
      outcome: 'failed',
      errorCode: ErrorCodes.INVALID_METADATA,
      reason: 'bad document',
    });
    expect(second?.attempts.map((a) => a.status)).toEqual([404]);
    expect(third).toMatchObject({ outcome: 'failed', errorCode: ErrorCodes.STRATEGY_ERROR });
    expect(fourth?.outcome).toBe('found');
  });

  it('stops at once on a security error and rethrows it with the trace', async () => {
    const log: string[] = [];
    const hostile: DiscoveryStrategy = {
      name: 'hostile',
      run: async () => {
        log.push('run hostile');
        throw new DiscoveryError(
          ErrorCodes.ISSUER_MISMATCH,
          'issuer https://evil.example is not https://as.example',
          {
            expected: 'https://as.example',
            actual: 'https://evil.example',
          },
        );
      },
    };
    const p = pipeline([
      hostile,
      fetchStrategy('as', authServer.url('/.well-known/oauth-authorization-server'), {
        log,
        prefetch: false,
      }),
    ]);
    const error = await rejection(p.discover(resource()));
    expect(error.code).toBe(ErrorCodes.ISSUER_MISMATCH);
    expect(log).toEqual(['run hostile']);
    expect(error.trace?.steps).toHaveLength(1);
    expect(error.trace?.steps[0]).toMatchObject({
      strategy: 'hostile',
      outcome: 'failed',
      errorCode: 'ISSUER_MISMATCH',
    });
  });

  it('stops on a security error raised by the HTTP layer (plain http to a public host)', async () => {
    const p = pipeline([
      fetchStrategy('insecure', 'http://as.example/.well-known/oauth-authorization-server', {
        prefetch: false,
      }),
    ]);
    const error = await rejection(p.discover(resource()));
    expect(error.code).toBe(ErrorCodes.INSECURE_URL);
    expect(error.trace?.steps[0]?.attempts[0]?.error?.code).toBe(ErrorCodes.INSECURE_URL);
  });

  it('fails with DISCOVERY_FAILED whose message summarises every path tried', async () => {
    const prmUrl = resourceServer.url('/.well-known/oauth-protected-resource/mcp');
    const rootUrl = resourceServer.url('/.well-known/oauth-protected-resource');
    const prm: DiscoveryStrategy = {
      name: 'rfc9728',
      async run(ctx) {
        for (const url of [prmUrl, rootUrl]) await ctx.http.request(url);
        return { status: 'not-found', reason: 'no protected resource metadata' };
      },
    };
    const challenge: DiscoveryStrategy = {
      name: 'www-authenticate',
      run: async () => ({ status: 'not-found', reason: 'no challenge' }),
    };
    const error = await rejection(pipeline([challenge, prm]).discover(resource()));
    expect(error.code).toBe(ErrorCodes.DISCOVERY_FAILED);
    expect(error.url).toBe(resource());
    expect(error.message).toBe(
      `No authorization server found for ${resource()}. Tried:\n` +
        '  www-authenticate: no challenge\n' +
        `  rfc9728: GET ${prmUrl} → 404, GET ${rootUrl} → 404 (no protected resource metadata)`,
    );
    expect(error.trace?.steps).toHaveLength(2);
  });

  it('rejects a resource that is not an absolute http(s) URL with INVALID_URL', async () => {
    const p = pipeline([]);
    expect((await rejection(p.discover('not a url'))).code).toBe(ErrorCodes.INVALID_URL);
    expect((await rejection(p.discover('/relative/mcp'))).code).toBe(ErrorCodes.INVALID_URL);
    expect((await rejection(p.discover('ftp://files.example/mcp'))).code).toBe(ErrorCodes.INVALID_URL);
  });

  it('drops the fragment and normalises the resource', async () => {
    const p = pipeline([fetchStrategy('as', authServer.url('/.well-known/oauth-authorization-server'))]);
    const result = await p.discover(
      `${resourceServer.origin.toUpperCase().replace('HTTP', 'http')}/mcp#frag`,
    );
    expect(result.resource).toBe(resource());
    expect(result.trace.resource).toBe(resource());
  });

  it('fails with DISCOVERY_FAILED when no strategy is configured', async () => {
    const error = await rejection(pipeline([]).discover(resource()));
    expect(error.code).toBe(ErrorCodes.DISCOVERY_FAILED);
    expect(error.message).toContain('no strategy is configured');
  });

  it('rejects invalid options with INVALID_CONFIG', () => {
    const fail = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (error) {
        return isDiscoveryError(error) ? error.code : 'not a DiscoveryError';
      }
      return undefined;
    };
    expect(fail(() => createPipeline([], { deadlineMs: 0 }))).toBe(ErrorCodes.INVALID_CONFIG);
    expect(fail(() => createPipeline([], { cacheTtl: { missMs: -1 } }))).toBe(ErrorCodes.INVALID_CONFIG);
    expect(
      fail(() =>
        createPipeline([], {
          http: { request: async () => Promise.reject(new Error('x')) },
          allowPrivateNetwork: true,
        }),
      ),
    ).toBe(ErrorCodes.INVALID_CONFIG);
  });

  it('refuses to discover once closed, and leaves a client instance it was given open', async () => {
    const client = createHttpClient({ allowPrivateNetwork: true });
    const p = createPipeline(
      [fetchStrategy('as', authServer.url('/.well-known/oauth-authorization-server'))],
      {
        http: client,
        cache: false,
      },
    );
    await p.close();
    expect((await rejection(p.discover(resource()))).code).toBe(ErrorCodes.INVALID_CONFIG);
    const response = await client.request(authServer.url('/.well-known/oauth-authorization-server'));
    expect(response.status).toBe(200);
    await client.close();
  });

  it('notes allowPrivateNetwork in the trace when a request went out under it', async () => {
    const p = pipeline([fetchStrategy('as', authServer.url('/.well-known/oauth-authorization-server'))], {
      allowPrivateNetwork: true,
    });
    const result = await p.discover(resource());
    expect(result.trace.relaxations).toEqual(['allowPrivateNetwork']);
  });

  it('refuses a private metadata address for a public resource (no relaxation without a local resource)', async () => {
    const publicResource: DiscoveryStrategy = fetchStrategy(
      'as',
      authServer.url('/.well-known/oauth-authorization-server'),
      {
        prefetch: false,
      },
    );
    const seen = authServer.requests.length;
    const error = await rejection(pipeline([publicResource]).discover('https://mcp.example/mcp'));
    expect(error.code).toBe(ErrorCodes.BLOCKED_ADDRESS);
    expect(error.trace?.relaxations).toEqual([]);
    expect(authServer.requests).toHaveLength(seen);
  });
});
