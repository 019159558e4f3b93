import { ErrorCodes } from '@oauth-discovery/core';
import {
  captureState,
  githubWorld,
  givenChallenge,
  prmPath,
  prmPathAwareWorld,
  prmRootWorld,
  protectedResourceMetadata,
  rejection,
  resourceMetadataHeaderWorld,
  stepOf,
  testScope,
  urlsOf,
  type World,
  type WorldSpec,
} from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { rfc9728 } from '../src/index.js';

const PRM_ROOT = '/.well-known/oauth-protected-resource';

const scope = testScope();
afterEach(() => scope.close());
const world = scope.world;
const pipeline = scope.pipeline;

describe('rfc9728', () => {
  it('uses the resource_metadata URL of the challenge, on another origin, and tries nothing else', async () => {
    const shape = resourceMetadataHeaderWorld();
    const w = await world(shape.spec);
    const header = shape.expect.resourceMetadataUrl(w) ?? '';
    const capture = captureState();
    const result = await pipeline([givenChallenge(header), rfc9728(), capture.strategy]).discover(
      shape.expect.resource(w),
    );

    const step = stepOf(result.trace, 'rfc9728');
    expect(step.outcome).toBe('found');
    expect(urlsOf(step)).toEqual([header]);
    expect(new URL(header).origin).not.toBe(w.origin('mcp'));
    expect(result.resourceMetadata?.url).toBe(header);
    expect(capture.states[0]?.issuers).toEqual([{ issuer: w.origin('as'), source: 'rfc9728' }]);
    expect(w.requestsTo('mcp')).toEqual([]);
  });

  it('finds PRM at the path-aware URL first', async () => {
    const shape = prmPathAwareWorld();
    const w = await world(shape.spec);
    const result = await pipeline([rfc9728(), captureState().strategy]).discover(shape.expect.resource(w));

    const step = stepOf(result.trace, 'rfc9728');
    expect(urlsOf(step)).toEqual([w.url('mcp', prmPath('/v1/mcp'))]);
    expect(result.resourceMetadata?.document.resource).toBe(shape.expect.resource(w));
    expect(result.scopes).toEqual(['read', 'write']);
  });

  it('falls back to the root URL when the path-aware one is 404', async () => {
    const shape = prmRootWorld();
    const w = await world(shape.spec);
    const result = await pipeline([rfc9728(), captureState().strategy]).discover(shape.expect.resource(w));

    const step = stepOf(result.trace, 'rfc9728');
    expect(urlsOf(step)).toEqual([w.url('mcp', prmPath('/mcp')), w.url('mcp', PRM_ROOT)]);
    expect(step.attempts.map((a) => a.status)).toEqual([404, 200]);
    // The 404 is on the attempt's own line; no note repeats it.
    expect(step.notes).toEqual([]);
    expect(result.resourceMetadata?.url).toBe(w.url('mcp', PRM_ROOT));
  });

  it('still tries the well-known URLs when the resource_metadata URL is 404', async () => {
    const w = await world({
      origins: {
        mcp: {
          routes: {
            [prmPath('/mcp')]: {
              json: (x) => protectedResourceMetadata(x.url('mcp', '/mcp'), [x.origin('as')]),
            },
          },
        },
        prm: { routes: {} },
        as: { routes: {} },
      },
    });
    const header = w.url('prm', '/gone.json');
    const result = await pipeline([givenChallenge(header), rfc9728(), captureState().strategy]).discover(
      w.url('mcp', '/mcp'),
    );

    const step = stepOf(result.trace, 'rfc9728');
    expect(urlsOf(step)).toEqual([header, w.url('mcp', prmPath('/mcp'))]);
    expect(step.attempts.map((a) => a.status)).toEqual([404, 200]);
    expect(result.resourceMetadata?.url).toBe(w.url('mcp', prmPath('/mcp')));
  });

  it('rejects PRM naming another resource with RESOURCE_MISMATCH and never falls through to the root', async () => {
    const w = await world({
      origins: {
        mcp: {
          routes: {
            [prmPath('/mcp')]: {
              json: (x) => protectedResourceMetadata(x.url('mcp', '/other'), [x.origin('as')]),
            },
            [PRM_ROOT]: { json: (x) => protectedResourceMetadata(x.url('mcp', '/mcp'), [x.origin('as')]) },
          },
        },
        as: { routes: {} },
      },
    });
    const capture = captureState();
    const error = await rejection(pipeline([rfc9728(), capture.strategy]).discover(w.url('mcp', '/mcp')));

    expect(error.code).toBe(ErrorCodes.RESOURCE_MISMATCH);
    expect(error.actual).toBe(w.url('mcp', '/other'));
    const step = stepOf(error.trace, 'rfc9728');
    expect(step.outcome).toBe('failed');
    expect(step.errorCode).toBe(ErrorCodes.RESOURCE_MISMATCH);
    expect(urlsOf(step)).toEqual([w.url('mcp', prmPath('/mcp'))]);
    expect(w.requestsTo('mcp').map((r) => r.path)).toEqual([prmPath('/mcp')]);
    expect(capture.states).toEqual([]);
  });

  it('stops with INSECURE_URL when a PRM names a plain-http authorization server, never trying the root', async () => {
    const w = await world({
      origins: {
        mcp: {
          routes: {
            [prmPath('/mcp')]: {
              json: (x) => protectedResourceMetadata(x.url('mcp', '/mcp'), ['http://as.example.com']),
            },
            [PRM_ROOT]: { json: (x) => protectedResourceMetadata(x.url('mcp', '/mcp'), [x.origin('mcp')]) },
          },
        },
      },
    });
    const error = await rejection(
      pipeline([rfc9728(), captureState().strategy]).discover(w.url('mcp', '/mcp')),
    );

    expect(error.code).toBe(ErrorCodes.INSECURE_URL);
    expect(urlsOf(stepOf(error.trace, 'rfc9728'))).toEqual([w.url('mcp', prmPath('/mcp'))]);
    expect(w.requestsTo('mcp').map((r) => r.path)).toEqual([prmPath('/mcp')]);
  });

  it('records garbage and schema-invalid PRM and tries the next URL', async () => {
    const w = await world({
      origins: {
        mcp: {
          routes: {
            [prmPath('/mcp')]: { garbage: true },
            [PRM_ROOT]: { json: (x) => protectedResourceMetadata(x.url('mcp', '/mcp'), [x.origin('as')]) },
          },
        },
        prm: { routes: { '/prm.json': { json: { authorization_servers: ['https://as.example'] } } } },
        as: { routes: {} },
      },
    });
    const header = w.url('prm', '/prm.json');
    const result = await pipeline([givenChallenge(header), rfc9728(), captureState().strategy]).discover(
      w.url('mcp', '/mcp'),
    );

    const step = stepOf(result.trace, 'rfc9728');
    expect(urlsOf(step)).toEqual([header, w.url('mcp', prmPath('/mcp')), w.url('mcp', PRM_ROOT)]);
    const notes = step.notes.join('\n');
    expect(notes).toContain(`GET ${header} → ${ErrorCodes.INVALID_METADATA}`);
    expect(notes).toContain(`GET ${w.url('mcp', prmPath('/mcp'))} → ${ErrorCodes.INVALID_JSON}`);
    expect(result.resourceMetadata?.url).toBe(w.url('mcp', PRM_ROOT));
  });

  it('keeps every authorization server, in order, as issuer candidates', async () => {
    const w = await world({
      origins: {
        mcp: {
          routes: {
            [prmPath('/mcp')]: {
              json: (x) =>
                protectedResourceMetadata(x.url('mcp', '/mcp'), [
                  x.url('as2', '/tenant'),
                  x.origin('as1'),
                  x.url('as3', '/'),
                ]),
            },
          },
        },
        as1: { routes: {} },
        as2: { routes: {} },
        as3: { routes: {} },
      },
    });
    const capture = captureState();
    await pipeline([rfc9728(), capture.strategy]).discover(w.url('mcp', '/mcp'));

    expect(capture.states[0]?.issuers).toEqual([
      { issuer: w.url('as2', '/tenant'), source: 'rfc9728' },
      { issuer: w.origin('as1'), source: 'rfc9728' },
      { issuer: w.url('as3', '/'), source: 'rfc9728' },
    ]);
  });

  it('accepts a PRM resource that differs from the requested one only by a trailing slash', async () => {
    const shape = githubWorld({ prmResourceWithoutSlash: true });
    const w = await world(shape.spec);
    const result = await pipeline([rfc9728(), captureState().strategy]).discover(shape.expect.resource(w));

    const step = stepOf(result.trace, 'rfc9728');
    expect(step.outcome).toBe('found');
    expect(urlsOf(step)).toEqual([w.url('mcp', prmPath('/mcp/'))]);
    expect(result.resourceMetadata?.document.resource).toBe(w.url('mcp', '/mcp'));
  });

  it('accepts the bare origin as resource only from the root URL, and says so (RFC 9728 §3.3)', async () => {
    const w = await world({
      origins: {
        mcp: {
          routes: {
            [PRM_ROOT]: { json: (x) => protectedResourceMetadata(x.origin('mcp'), [x.origin('as')]) },
          },
        },
        as: { routes: {} },
      },
    });
    const capture = captureState();
    const result = await pipeline([rfc9728(), capture.strategy]).discover(w.url('mcp', '/mcp'));

    const step = stepOf(result.trace, 'rfc9728');
    expect(step.outcome).toBe('found');
    expect(urlsOf(step)).toEqual([w.url('mcp', prmPath('/mcp')), w.url('mcp', PRM_ROOT)]);
    expect(result.resourceMetadata?.document.resource).toBe(w.origin('mcp'));
    expect(step.notes.join('\n')).toContain(`names the origin ${w.origin('mcp')} as its resource`);
    expect(capture.states[0]?.issuers).toEqual([{ issuer: w.origin('as'), source: 'rfc9728' }]);
  });

  it.each([
    ['the path-aware URL', (w: World) => w.url('mcp', prmPath('/mcp')), undefined],
    [
      'a resource_metadata URL',
      (w: World) => w.url('prm', '/prm.json'),
      (w: World) => w.url('prm', '/prm.json'),
    ],
  ])('refuses the bare origin as resource from %s with RESOURCE_MISMATCH', async (_name, at, header) => {
    // Every URL names the bare origin; the first URL tried must refuse it.
    const spec: WorldSpec = {
      origins: {
        mcp: {
          routes: {
            [prmPath('/mcp')]: { json: (x) => protectedResourceMetadata(x.origin('mcp'), [x.origin('as')]) },
            [PRM_ROOT]: { json: (x) => protectedResourceMetadata(x.origin('mcp'), [x.origin('as')]) },
          },
        },
        prm: {
          routes: {
            '/prm.json': { json: (x) => protectedResourceMetadata(x.origin('mcp'), [x.origin('as')]) },
          },
        },
        as: { routes: {} },
      },
    };
    const live = await world(spec);
    const strategies = header === undefined ? [rfc9728()] : [givenChallenge(header(live)), rfc9728()];
    const error = await rejection(
      pipeline([...strategies, captureState().strategy]).discover(live.url('mcp', '/mcp')),
    );

    expect(error.code).toBe(ErrorCodes.RESOURCE_MISMATCH);
    expect(error.url).toBe(at(live));
    expect(error.actual).toBe(live.origin('mcp'));
    // Stopped at the first URL: the root, which would accept the origin, was never asked.
    expect(urlsOf(stepOf(error.trace, 'rfc9728'))).toEqual([at(live)]);
    expect(live.requestsTo('mcp').map((r) => r.path)).not.toContain(PRM_ROOT);
  });

  it('still refuses, at the root, a resource on another origin or another path', async () => {
    for (const named of ['/other', 'other-origin'] as const) {
      const w = await world({
        origins: {
          mcp: {
            routes: {
              [PRM_ROOT]: {
                json: (x) =>
                  protectedResourceMetadata(named === '/other' ? x.url('mcp', '/other') : x.origin('as'), [
                    x.origin('as'),
                  ]),
              },
            },
          },
          as: { routes: {} },
        },
      });
      const error = await rejection(
        pipeline([rfc9728(), captureState().strategy]).discover(w.url('mcp', '/mcp')),
      );
      expect(error.code).toBe(ErrorCodes.RESOURCE_MISMATCH);
      expect(error.url).toBe(w.url('mcp', PRM_ROOT));
    }
  });

  it('finds a PRM without authorization_servers, with a note', async () => {
    const w = await world({
      origins: { mcp: { routes: { [PRM_ROOT]: { json: (x) => ({ resource: x.url('mcp', '/') }) } } } },
    });
    const capture = captureState();
    const result = await pipeline([rfc9728(), capture.strategy]).discover(w.url('mcp', '/'));

    const step = stepOf(result.trace, 'rfc9728');
    expect(step.outcome).toBe('found');
    expect(urlsOf(step)).toEqual([w.url('mcp', PRM_ROOT)]);
    expect(step.notes).toContain(
      `the protected resource metadata at ${w.url('mcp', PRM_ROOT)} names no authorization_servers`,
    );
    expect(capture.states[0]?.issuers).toEqual([]);
    expect(capture.states[0]?.resourceMetadata?.url).toBe(w.url('mcp', PRM_ROOT));
  });

  it('is not-found with every URL and its status when there is no PRM', async () => {
    const w = await world({ origins: { mcp: { routes: { [prmPath('/v1/mcp')]: { status: 401 } } } } });
    const capture = captureState();
    const result = await pipeline([rfc9728(), capture.strategy]).discover(w.url('mcp', '/v1/mcp'));

    const step = stepOf(result.trace, 'rfc9728');
    expect(step.outcome).toBe('not-found');
    expect(step.reason).toBe(
      `GET ${w.url('mcp', prmPath('/v1/mcp'))} → 401; GET ${w.url('mcp', PRM_ROOT)} → 404`,
    );
    expect(capture.states[0]?.resourceMetadata).toBeUndefined();
  });

  it('tries the next URL when one refuses the connection', async () => {
    const dead = await world({ origins: { dead: { routes: {} } } });
    const deadUrl = dead.url('dead', '/prm.json');
    await dead.close();
    const shape = prmRootWorld();
    const w = await world(shape.spec);
    const result = await pipeline([givenChallenge(deadUrl), rfc9728(), captureState().strategy]).discover(
      shape.expect.resource(w),
    );

    const step = stepOf(result.trace, 'rfc9728');
    expect(urlsOf(step)).toEqual([deadUrl, w.url('mcp', prmPath('/mcp')), w.url('mcp', PRM_ROOT)]);
    expect(step.notes[0]).toContain(`GET ${deadUrl} → ${ErrorCodes.NETWORK_ERROR}`);
  });

  it('gives the same outcome with speculation, each URL requested once', async () => {
    const shape = prmRootWorld();
    const w = await world(shape.spec);
    const result = await pipeline([rfc9728(), captureState().strategy], { speculate: true }).discover(
      shape.expect.resource(w),
    );

    const step = stepOf(result.trace, 'rfc9728');
    expect(urlsOf(step)).toEqual([w.url('mcp', prmPath('/mcp')), w.url('mcp', PRM_ROOT)]);
    expect(result.resourceMetadata?.url).toBe(w.url('mcp', PRM_ROOT));
    const paths = w.requestsTo('mcp').map((r) => r.path);
    expect(paths.sort()).toEqual([PRM_ROOT, prmPath('/mcp')].sort());
  });
});
