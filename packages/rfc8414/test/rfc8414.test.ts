import { ErrorCodes } from '@oauth-discovery/core';
import {
  atlassianV1World,
  authorizationServerMetadata,
  givenCandidates,
  pathIssuerInsertionWorld,
  rejection,
  stepOf,
  testScope,
  urlsOf,
  type WorldSpec,
} from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { rfc8414 } from '../src/index.js';

const OAUTH_AS = '/.well-known/oauth-authorization-server';

const scope = testScope();
afterEach(() => scope.close());
const world = scope.world;
const pipeline = scope.pipeline;

/** Origin `as` serving valid metadata for its own origin issuer, plus the given extra origins. */
function twoServers(first: WorldSpec['origins'][string]): WorldSpec {
  return {
    origins: {
      mcp: { routes: {} },
      as1: first,
      as2: {
        routes: { [OAUTH_AS]: { json: (w) => authorizationServerMetadata({ issuer: w.origin('as2') }) } },
      },
    },
  };
}

describe('rfc8414', () => {
  it('inserts the well-known segment before the issuer path', async () => {
    const shape = pathIssuerInsertionWorld();
    const w = await world(shape.spec);
    const resource = shape.expect.resource(w);
    const issuer = shape.expect.issuer(w) ?? '';
    const result = await pipeline([
      givenCandidates(resource, [issuer], { prmUrl: `${resource}/prm` }),
      rfc8414(),
    ]).discover(resource);

    const step = stepOf(result.trace, 'rfc8414');
    expect(step.outcome).toBe('found');
    expect(urlsOf(step)).toEqual([w.url('as', `${OAUTH_AS}/mcp`)]);
    expect(result.authorizationServer).toMatchObject({
      issuer,
      metadataUrl: w.url('as', `${OAUTH_AS}/mcp`),
      issuerCheck: 'exact',
      source: 'rfc8414',
    });
    expect(w.requestsTo('mcp')).toEqual([]);
  });

  it.each([
    ['answers 503', { routes: { [OAUTH_AS]: { status: 503, json: { error: 'unavailable' } } } }, '503'],
    ['serves garbage', { routes: { [OAUTH_AS]: { garbage: true } } }, ErrorCodes.INVALID_JSON],
  ])('moves on to candidate 2 when candidate 1 %s', async (_, first, shown) => {
    const w = await world(twoServers(first));
    const resource = w.url('mcp', '/mcp');
    const result = await pipeline([
      givenCandidates(resource, [w.origin('as1'), w.origin('as2')], { prmUrl: `${resource}/prm` }),
      rfc8414(),
    ]).discover(resource);

    const step = stepOf(result.trace, 'rfc8414');
    expect(urlsOf(step)).toEqual([w.url('as1', OAUTH_AS), w.url('as2', OAUTH_AS)]);
    // A bare status shows on the attempt; a broken document also gets a note saying why.
    if (shown === '503') expect(step.attempts[0]?.status).toBe(503);
    else expect(step.notes[0]).toContain(`GET ${w.url('as1', OAUTH_AS)} → ${shown}`);
    expect(result.authorizationServer.issuer).toBe(w.origin('as2'));
    expect(result.issuers.map((c) => c.issuer)).toEqual([w.origin('as1'), w.origin('as2')]);
  });

  it('moves on to candidate 2 when candidate 1 refuses the connection', async () => {
    const dead = await world({ origins: { dead: { routes: {} } } });
    const deadIssuer = dead.origin('dead');
    await dead.close();
    const w = await world(twoServers({ routes: {} }));
    const resource = w.url('mcp', '/mcp');
    const result = await pipeline([
      givenCandidates(resource, [deadIssuer, w.origin('as2')]),
      rfc8414(),
    ]).discover(resource);

    const step = stepOf(result.trace, 'rfc8414');
    expect(urlsOf(step)).toEqual([`${deadIssuer}${OAUTH_AS}`, w.url('as2', OAUTH_AS)]);
    expect(step.notes[0]).toContain(ErrorCodes.NETWORK_ERROR);
    expect(result.authorizationServer.issuer).toBe(w.origin('as2'));
  });

  it('moves on to the next candidate after a redirect loop', async () => {
    const w = await world(twoServers({ routes: { [OAUTH_AS]: { redirect: OAUTH_AS } } }));
    const resource = w.url('mcp', '/mcp');
    const result = await pipeline([
      givenCandidates(resource, [w.origin('as1'), w.origin('as2')]),
      rfc8414(),
    ]).discover(resource);

    const step = stepOf(result.trace, 'rfc8414');
    expect(urlsOf(step)).toEqual([w.url('as1', OAUTH_AS), w.url('as2', OAUTH_AS)]);
    expect(step.notes[0]).toContain(`GET ${w.url('as1', OAUTH_AS)} → ${ErrorCodes.TOO_MANY_REDIRECTS}`);
    expect(result.authorizationServer.issuer).toBe(w.origin('as2'));
  });

  it('stops with ABORTED when the caller aborts during a request, trying no other candidate', async () => {
    const controller = new AbortController();
    const w = await world(
      twoServers({
        routes: {
          [OAUTH_AS]: {
            handler: (req) => {
              req.resume();
              controller.abort();
            },
          },
        },
      }),
    );
    const resource = w.url('mcp', '/mcp');
    const error = await rejection(
      pipeline([givenCandidates(resource, [w.origin('as1'), w.origin('as2')]), rfc8414()]).discover(
        resource,
        {
          signal: controller.signal,
        },
      ),
    );

    expect(error.code).toBe(ErrorCodes.ABORTED);
    expect(w.requestsTo('as1')).toHaveLength(1);
    expect(w.requestsTo('as2')).toEqual([]);
  });

  it('fails with ISSUER_MISMATCH for a PRM-given candidate and tries no other candidate', async () => {
    const w = await world(
      twoServers({
        routes: { [OAUTH_AS]: { json: (x) => authorizationServerMetadata({ issuer: x.origin('as2') }) } },
      }),
    );
    const resource = w.url('mcp', '/mcp');
    const error = await rejection(
      pipeline([
        givenCandidates(resource, [w.origin('as1'), w.origin('as2')], { prmUrl: `${resource}/prm` }),
        rfc8414(),
      ]).discover(resource),
    );

    expect(error.code).toBe(ErrorCodes.ISSUER_MISMATCH);
    expect(error.expected).toBe(w.origin('as1'));
    expect(error.actual).toBe(w.origin('as2'));
    const step = stepOf(error.trace, 'rfc8414');
    expect(step).toMatchObject({ outcome: 'failed', errorCode: ErrorCodes.ISSUER_MISMATCH });
    expect(urlsOf(step)).toEqual([w.url('as1', OAUTH_AS)]);
    expect(w.requestsTo('as2')).toEqual([]);
  });

  it('adopts the issuer of the metadata at the resource origin when nothing is known (Atlassian v1)', async () => {
    const shape = atlassianV1World();
    const w = await world(shape.spec);
    const result = await pipeline([rfc8414()]).discover(shape.expect.resource(w));

    const step = stepOf(result.trace, 'rfc8414');
    expect(urlsOf(step)).toEqual([w.url('mcp', OAUTH_AS)]);
    expect(result.authorizationServer).toMatchObject({
      issuer: w.origin('cf'),
      metadataUrl: w.url('mcp', OAUTH_AS),
      issuerCheck: 'adopted',
      source: 'rfc8414',
    });
    expect(step.notes).toContain(
      `no issuer was known; adopted ${w.origin('cf')} from the metadata at the resource origin (MCP 2025-03-26 fallback)`,
    );
  });

  it('needs one request for Atlassian v1 with speculation', async () => {
    const shape = atlassianV1World();
    const w = await world(shape.spec);
    const result = await pipeline([rfc8414()], { speculate: true }).discover(shape.expect.resource(w));

    expect(result.authorizationServer.issuerCheck).toBe('adopted');
    expect(w.requests.map((r) => r.path)).toEqual([OAUTH_AS]);
    expect(result.trace.requestCount).toBe(1);
  });

  it('does not probe the origin when the legacy fallback is off', async () => {
    const shape = atlassianV1World();
    const w = await world(shape.spec);
    const error = await rejection(
      pipeline([rfc8414({ legacyOriginFallback: false })], { speculate: true }).discover(
        shape.expect.resource(w),
      ),
    );

    expect(error.code).toBe(ErrorCodes.DISCOVERY_FAILED);
    const step = stepOf(error.trace, 'rfc8414');
    expect(step).toMatchObject({
      outcome: 'not-found',
      reason: 'no issuer candidate, and the legacy origin fallback is off',
    });
    expect(w.requests).toEqual([]);
  });

  it('does not probe the origin when PRM is known but names no authorization server', async () => {
    const shape = atlassianV1World();
    const w = await world(shape.spec);
    const resource = shape.expect.resource(w);
    const error = await rejection(
      pipeline([givenCandidates(resource, [], { prmUrl: `${resource}/prm` }), rfc8414()]).discover(resource),
    );

    expect(error.code).toBe(ErrorCodes.DISCOVERY_FAILED);
    expect(stepOf(error.trace, 'rfc8414').reason).toContain('names no authorization_servers');
    expect(w.requests).toEqual([]);
  });

  it('is not-found at the origin with the URL and status when there is no legacy metadata', async () => {
    const w = await world({ origins: { mcp: { routes: {} } } });
    const error = await rejection(pipeline([rfc8414()]).discover(w.url('mcp', '/mcp')));

    expect(error.code).toBe(ErrorCodes.DISCOVERY_FAILED);
    const step = stepOf(error.trace, 'rfc8414');
    expect(step.outcome).toBe('not-found');
    expect(step.reason).toContain(`GET ${w.url('mcp', OAUTH_AS)} → 404`);
    expect(step.notes.join('\n')).not.toContain('adopted');
  });

  it('accepts an alias pinned by an issuer policy and names who pinned it', async () => {
    const shape = atlassianV1World();
    const w = await world(shape.spec);
    const resource = shape.expect.resource(w);
    const preset = givenCandidates(resource, [{ issuer: w.origin('mcp'), source: 'preset:test' }], {
      policies: [
        { match: { exact: w.origin('mcp') }, acceptedIssuers: [w.origin('cf')], source: 'preset:test' },
      ],
    });
    const result = await pipeline([preset, rfc8414()]).discover(resource);

    const step = stepOf(result.trace, 'rfc8414');
    expect(urlsOf(step)).toEqual([w.url('mcp', OAUTH_AS)]);
    expect(result.authorizationServer).toMatchObject({ issuer: w.origin('cf'), issuerCheck: 'alias' });
    expect(step.notes).toContain(
      `issuer ${w.origin('cf')} accepted as an alias of ${w.origin('mcp')}, pinned by preset:test`,
    );
  });

  it('rejects the same foreign issuer with ISSUER_MISMATCH when no policy pins it', async () => {
    const shape = atlassianV1World();
    const w = await world(shape.spec);
    const resource = shape.expect.resource(w);
    const error = await rejection(
      pipeline([
        givenCandidates(resource, [{ issuer: w.origin('mcp'), source: 'preset:test' }]),
        rfc8414(),
      ]).discover(resource),
    );
    expect(error.code).toBe(ErrorCodes.ISSUER_MISMATCH);
  });

  it('skips a candidate whose policy allows only OIDC URLs, with a note', async () => {
    const w = await world(
      twoServers({
        routes: { [OAUTH_AS]: { json: (x) => authorizationServerMetadata({ issuer: x.origin('as1') }) } },
      }),
    );
    const resource = w.url('mcp', '/mcp');
    const result = await pipeline([
      givenCandidates(resource, [w.origin('as1'), w.origin('as2')], {
        policies: [
          {
            match: { exact: w.origin('as1') },
            metadataUrlKinds: ['oidc-append'],
            source: 'preset:entra-like',
          },
        ],
      }),
      rfc8414(),
    ]).discover(resource);

    const step = stepOf(result.trace, 'rfc8414');
    expect(urlsOf(step)).toEqual([w.url('as2', OAUTH_AS)]);
    expect(step.notes[0]).toBe(
      `candidate ${w.origin('as1')} (from rfc9728) skipped: preset:entra-like allows only oidc-append metadata URLs`,
    );
    expect(w.requestsTo('as1')).toEqual([]);
  });
});
