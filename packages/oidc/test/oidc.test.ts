import { ErrorCodes } from '@oauth-discovery/core';
import {
  entraWorld,
  givenCandidates,
  oidcOnlyWorld,
  openIdConfiguration,
  pathIssuerAppendOnlyWorld,
  rejection,
  stepOf,
  testScope,
  urlsOf,
  type WorldSpec,
} from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { oidc } from '../src/index.js';

const OIDC = '/.well-known/openid-configuration';

const scope = testScope();
afterEach(() => scope.close());
const world = scope.world;
const pipeline = scope.pipeline;

describe('oidc', () => {
  it('finds a path issuer by OIDC insertion first', async () => {
    const w = await world({
      origins: {
        mcp: { routes: {} },
        as: {
          routes: {
            [`${OIDC}/tenant1`]: { json: (x) => openIdConfiguration({ issuer: x.url('as', '/tenant1') }) },
          },
        },
      },
    });
    const resource = w.url('mcp', '/mcp');
    const issuer = w.url('as', '/tenant1');
    const result = await pipeline([
      givenCandidates(resource, [issuer], { prmUrl: `${resource}/prm` }),
      oidc(),
    ]).discover(resource);

    const step = stepOf(result.trace, 'oidc');
    expect(urlsOf(step)).toEqual([w.url('as', `${OIDC}/tenant1`)]);
    expect(result.authorizationServer).toMatchObject({ issuer, issuerCheck: 'exact', source: 'oidc' });
  });

  it('falls back to appending for a Keycloak-like path issuer', async () => {
    const shape = pathIssuerAppendOnlyWorld();
    const w = await world(shape.spec);
    const resource = shape.expect.resource(w);
    const issuer = shape.expect.issuer(w) ?? '';
    const result = await pipeline([givenCandidates(resource, [issuer]), oidc()]).discover(resource);

    const step = stepOf(result.trace, 'oidc');
    expect(urlsOf(step)).toEqual([w.url('as', `${OIDC}/realms/demo`), w.url('as', `/realms/demo${OIDC}`)]);
    expect(step.attempts.map((a) => a.status)).toEqual([404, 200]);
    expect(result.authorizationServer).toMatchObject({ issuer, metadataUrl: shape.expect.metadataUrl(w) });
  });

  it('uses the origin root for an origin-only issuer (Google-like)', async () => {
    const shape = oidcOnlyWorld();
    const w = await world(shape.spec);
    const resource = shape.expect.resource(w);
    const result = await pipeline([givenCandidates(resource, [w.origin('as')]), oidc()]).discover(resource);

    const step = stepOf(result.trace, 'oidc');
    expect(urlsOf(step)).toEqual([w.url('as', OIDC)]);
    expect(result.authorizationServer.issuer).toBe(w.origin('as'));
  });

  it('never takes a path issuer’s metadata from the origin root', async () => {
    const w = await world({
      origins: {
        mcp: { routes: {} },
        as: { routes: { [OIDC]: { json: (x) => openIdConfiguration({ issuer: x.url('as', '/tenant1') }) } } },
      },
    });
    const resource = w.url('mcp', '/mcp');
    const error = await rejection(
      pipeline([givenCandidates(resource, [w.url('as', '/tenant1')]), oidc()]).discover(resource),
    );

    expect(error.code).toBe(ErrorCodes.DISCOVERY_FAILED);
    const step = stepOf(error.trace, 'oidc');
    expect(step.outcome).toBe('not-found');
    expect(step.reason).toBe(
      `GET ${w.url('as', `${OIDC}/tenant1`)} → 404; GET ${w.url('as', `/tenant1${OIDC}`)} → 404`,
    );
    expect(w.requestsTo('as').map((r) => r.path)).not.toContain(OIDC);
  });

  it("honours a policy's metadataUrlKinds: ['oidc-append'] (Entra-like)", async () => {
    const shape = entraWorld();
    const w = await world(shape.spec);
    const resource = shape.expect.resource(w);
    const issuer = shape.expect.issuer(w) ?? '';
    const result = await pipeline([
      givenCandidates(resource, [issuer], {
        policies: [
          {
            match: { prefix: w.origin('as') },
            metadataUrlKinds: ['oidc-append'],
            source: 'preset:entra-like',
          },
        ],
      }),
      oidc(),
    ]).discover(resource);

    const step = stepOf(result.trace, 'oidc');
    expect(urlsOf(step)).toEqual([shape.expect.metadataUrl(w)]);
    expect(w.requestsTo('as')).toHaveLength(1);
    expect(result.authorizationServer.issuer).toBe(issuer);
  });

  it('moves on to the next candidate when one has no OIDC document', async () => {
    const shape = oidcOnlyWorld();
    const w = await world(shape.spec);
    const resource = shape.expect.resource(w);
    const result = await pipeline([
      givenCandidates(resource, [w.url('mcp', '/auth'), w.origin('as')]),
      oidc(),
    ]).discover(resource);

    const step = stepOf(result.trace, 'oidc');
    expect(urlsOf(step)).toEqual([
      w.url('mcp', `${OIDC}/auth`),
      w.url('mcp', `/auth${OIDC}`),
      w.url('as', OIDC),
    ]);
    expect(result.authorizationServer.issuer).toBe(w.origin('as'));
  });

  it('fails with ISSUER_MISMATCH when the document names another issuer', async () => {
    const w = await world({
      origins: {
        mcp: { routes: {} },
        as: { routes: { [OIDC]: { json: { ...openIdConfiguration({ issuer: 'https://evil.example' }) } } } },
        as2: { routes: { [OIDC]: { json: (x) => openIdConfiguration({ issuer: x.origin('as2') }) } } },
      },
    });
    const resource = w.url('mcp', '/mcp');
    const error = await rejection(
      pipeline([givenCandidates(resource, [w.origin('as'), w.origin('as2')]), oidc()]).discover(resource),
    );
    expect(error.code).toBe(ErrorCodes.ISSUER_MISMATCH);
    expect(w.requestsTo('as2')).toEqual([]);
  });

  it('adopts the issuer at the resource origin when nothing is known, and can be told not to', async () => {
    const spec: WorldSpec = {
      origins: {
        mcp: { routes: { [OIDC]: { json: (x) => openIdConfiguration({ issuer: x.origin('idp') }) } } },
        idp: { routes: {} },
      },
    };
    const w = await world(spec);
    const resource = w.url('mcp', '/v1/mcp');
    const result = await pipeline([oidc()]).discover(resource);

    const step = stepOf(result.trace, 'oidc');
    expect(urlsOf(step)).toEqual([w.url('mcp', OIDC)]);
    expect(result.authorizationServer).toMatchObject({ issuer: w.origin('idp'), issuerCheck: 'adopted' });
    expect(step.notes).toContain(
      `no issuer was known; adopted ${w.origin('idp')} from the metadata at the resource origin (MCP 2025-03-26 fallback)`,
    );

    w.clearLog();
    const error = await rejection(
      pipeline([oidc({ legacyOriginFallback: false })], { speculate: true }).discover(resource),
    );
    expect(error.code).toBe(ErrorCodes.DISCOVERY_FAILED);
    expect(w.requests).toEqual([]);
  });
});
