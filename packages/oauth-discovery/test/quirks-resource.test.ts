/**
 * The provider quirks of docs/provider-quirks.md that concern the protected resource (1–5, 9, 13), each proved
 * through the recommended pipeline against loopback replicas. docs/provider-quirks.md maps every quirk to
 * its test here or in quirks-authorization-server.test.ts / worlds.test.ts.
 */
import { ErrorCodes } from '@oauth-discovery/core';
import {
  authorizationServerMetadata,
  prmPath,
  protectedResourceMetadata,
  rejection,
  resourceMetadataChallenge,
  stepOf,
  testScope,
  tracedUrls,
  unauthorized,
  urlsOf,
  type World,
} from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { discover } from '../src/index.js';

const OAUTH_AS = '/.well-known/oauth-authorization-server';
const PRM_ROOT = '/.well-known/oauth-protected-resource';

const scope = testScope();
afterEach(() => scope.close());

const goodAs = {
  routes: { [OAUTH_AS]: { json: (w: World) => authorizationServerMetadata({ issuer: w.origin('as') }) } },
};

/** The PRM documents of a world whose resource is `<mcp>/mcp`, naming the `as` origin. */
const prmFor = (resource: (w: World) => string) => ({
  json: (w: World) => protectedResourceMetadata(resource(w), [w.origin('as')]),
});
const fullResource = (w: World) => w.url('mcp', '/mcp');

describe('quirk 2: a 401 without resource_metadata, or without WWW-Authenticate at all', () => {
  it('no WWW-Authenticate header: the well-known URLs are probed and the PRM found', async () => {
    const w = await scope.world({
      origins: {
        mcp: { routes: { '/mcp': unauthorized(undefined), [prmPath('/mcp')]: prmFor(fullResource) } },
        as: goodAs,
      },
    });
    const result = await discover(w.url('mcp', '/mcp'));

    expect(stepOf(result.trace, 'www-authenticate').reason).toBe('401 without WWW-Authenticate');
    expect(result.challenge).toBeNull();
    expect(result.resourceMetadata?.url).toBe(w.url('mcp', prmPath('/mcp')));
    expect(result.authorizationServer).toMatchObject({ issuer: w.origin('as'), issuerCheck: 'exact' });
  });
});

describe('quirk 3: never a 401 — the resource answers anonymous requests while a PRM exists', () => {
  it('the probe gets a 200, discovery goes on to the well-known PRM', async () => {
    const w = await scope.world({
      origins: {
        mcp: {
          routes: {
            '/mcp': { json: { jsonrpc: '2.0', id: 0, result: { protocolVersion: '2025-11-25' } } },
            [prmPath('/mcp')]: prmFor(fullResource),
          },
        },
        as: goodAs,
      },
    });
    const result = await discover(w.url('mcp', '/mcp'));

    const probe = stepOf(result.trace, 'www-authenticate');
    expect(probe.outcome).toBe('not-found');
    expect(probe.reason).toBe('resource answered without authentication (200)');
    expect(
      w
        .requestsTo('mcp')
        .filter((r) => r.path === '/mcp')
        .map((r) => r.method),
    ).toEqual(['POST']);
    expect(result.resourceMetadata?.url).toBe(w.url('mcp', prmPath('/mcp')));
    expect(result.authorizationServer.issuer).toBe(w.origin('as'));
    // A PRM exists, so the legacy origin fallback never ran.
    expect(result.authorizationServer.issuerCheck).toBe('exact');
  });
});

describe('quirk 5: the PRM resource differs from the typed URL', () => {
  it('by a trailing slash (GitHub 2025): accepted', async () => {
    const w = await scope.world({
      origins: {
        mcp: {
          routes: {
            '/mcp/': unauthorized('Bearer realm="x"'),
            [prmPath('/mcp/')]: prmFor(fullResource),
          },
        },
        as: goodAs,
      },
    });
    const result = await discover(w.url('mcp', '/mcp/'));
    expect(result.resourceMetadata?.document.resource).toBe(w.url('mcp', '/mcp'));
    expect(result.authorizationServer.issuer).toBe(w.origin('as'));
  });

  it('the bare origin, served at the root URL (Vercel, Box, HubSpot, Stripe): accepted and traced', async () => {
    const w = await scope.world({
      origins: {
        mcp: { routes: { '/mcp': unauthorized(undefined), [PRM_ROOT]: prmFor((x) => x.origin('mcp')) } },
        as: goodAs,
      },
    });
    const result = await discover(w.url('mcp', '/mcp'));

    expect(result.resourceMetadata).toMatchObject({
      url: w.url('mcp', PRM_ROOT),
      document: { resource: w.origin('mcp') },
    });
    expect(stepOf(result.trace, 'rfc9728').notes.join('\n')).toContain('RFC 9728 §3.3');
    expect(result.authorizationServer.issuer).toBe(w.origin('as'));
  });

  it('the bare origin at the path-aware URL: RESOURCE_MISMATCH, and the root is never consulted', async () => {
    const w = await scope.world({
      origins: {
        mcp: {
          routes: {
            '/mcp': unauthorized(undefined),
            [prmPath('/mcp')]: prmFor((x) => x.origin('mcp')),
            [PRM_ROOT]: prmFor((x) => x.origin('mcp')),
          },
        },
        as: goodAs,
      },
    });
    const error = await rejection(discover(w.url('mcp', '/mcp')));

    expect(error.code).toBe(ErrorCodes.RESOURCE_MISMATCH);
    expect(error).toMatchObject({ url: w.url('mcp', prmPath('/mcp')), actual: w.origin('mcp') });
    expect(tracedUrls(error.trace!)).not.toContain(w.url('mcp', PRM_ROOT));
  });

  it('the bare origin at a resource_metadata URL from the 401: RESOURCE_MISMATCH (RFC 9728 §3.3)', async () => {
    const w = await scope.world({
      origins: {
        mcp: {
          routes: {
            '/mcp': unauthorized((x) => resourceMetadataChallenge(x.url('mcp', PRM_ROOT))),
            [PRM_ROOT]: prmFor((x) => x.origin('mcp')),
          },
        },
        as: goodAs,
      },
    });
    const error = await rejection(discover(w.url('mcp', '/mcp')));
    expect(error.code).toBe(ErrorCodes.RESOURCE_MISMATCH);
    expect(error.url).toBe(w.url('mcp', PRM_ROOT));
  });
});

describe('quirk 9: redirects on well-known URLs', () => {
  it('same-origin redirects of the PRM and the metadata are followed; the checks use the URL asked for', async () => {
    const w = await scope.world({
      origins: {
        mcp: {
          routes: {
            '/mcp': unauthorized(undefined),
            [prmPath('/mcp')]: { redirect: '/meta/prm.json' },
            '/meta/prm.json': prmFor(fullResource),
          },
        },
        as: {
          routes: {
            [OAUTH_AS]: { status: 302, redirect: '/oauth/metadata.json' },
            '/oauth/metadata.json': { json: (x) => authorizationServerMetadata({ issuer: x.origin('as') }) },
          },
        },
      },
    });
    const result = await discover(w.url('mcp', '/mcp'));

    expect(result.resourceMetadata?.url).toBe(w.url('mcp', '/meta/prm.json'));
    expect(result.authorizationServer).toMatchObject({
      issuer: w.origin('as'),
      issuerCheck: 'exact',
      metadataUrl: w.url('as', '/oauth/metadata.json'),
    });
  });

  it('a cross-origin redirect stops discovery with CROSS_ORIGIN_REDIRECT; nothing is sent to the target', async () => {
    const w = await scope.world({
      origins: {
        mcp: { routes: { '/mcp': unauthorized(undefined), [prmPath('/mcp')]: prmFor(fullResource) } },
        as: { routes: { [OAUTH_AS]: { redirect: (x) => x.url('elsewhere', OAUTH_AS) } } },
        elsewhere: goodAs,
      },
    });
    const error = await rejection(discover(w.url('mcp', '/mcp')));

    expect(error.code).toBe(ErrorCodes.CROSS_ORIGIN_REDIRECT);
    expect(error.url).toContain(w.origin('as'));
    expect(w.requestsTo('elsewhere')).toEqual([]);
  });

  it('allowCrossOriginRedirects follows it, and the issuer must still be the one the URL was built from', async () => {
    const spec = (issuerOrigin: string) => ({
      origins: {
        mcp: { routes: { '/mcp': unauthorized(undefined), [prmPath('/mcp')]: prmFor(fullResource) } },
        as: { routes: { [OAUTH_AS]: { redirect: (x: World) => x.url('cdn', '/as.json') } } },
        cdn: {
          routes: {
            '/as.json': {
              json: (x: World) => authorizationServerMetadata({ issuer: x.origin(issuerOrigin) }),
            },
          },
        },
      },
    });
    const options = { http: { allowCrossOriginRedirects: true } } as const;

    const ok = await scope.world(spec('as'));
    const result = await discover(ok.url('mcp', '/mcp'), options);
    expect(result.authorizationServer).toMatchObject({
      issuer: ok.origin('as'),
      issuerCheck: 'exact',
      metadataUrl: ok.url('cdn', '/as.json'),
    });

    const hijacked = await scope.world(spec('cdn'));
    const error = await rejection(discover(hijacked.url('mcp', '/mcp'), options));
    expect(error.code).toBe(ErrorCodes.ISSUER_MISMATCH);
    expect(error).toMatchObject({ expected: hijacked.origin('as'), actual: hijacked.origin('cdn') });
  });
});

describe('quirk 13: non-standard WWW-Authenticate formatting (Figma)', () => {
  const figma = (x: World) =>
    `Bearer resource_metadata="${x.url('mcp', PRM_ROOT)}",scope="mcp:connect",authorization_uri="${x.url('as', '/authorize')}"`;
  const spec = {
    origins: {
      mcp: { routes: { '/mcp': unauthorized(figma), [PRM_ROOT]: prmFor(fullResource) } },
      as: goodAs,
    },
  };

  it('from the probe: resource_metadata and scope are read although no space follows the commas', async () => {
    const w = await scope.world(spec);
    const result = await discover(w.url('mcp', '/mcp'));

    expect(result.challenge).toMatchObject({
      scheme: 'Bearer',
      resourceMetadata: w.url('mcp', PRM_ROOT),
      scope: ['mcp:connect'],
      params: { authorization_uri: w.url('as', '/authorize') },
    });
    expect(result.scopes).toEqual(['mcp:connect']);
    expect(urlsOf(stepOf(result.trace, 'rfc9728'))).toEqual([w.url('mcp', PRM_ROOT)]);
    expect(result.authorizationServer.issuer).toBe(w.origin('as'));
  });

  it('given by the caller: the same result and no probe request', async () => {
    const w = await scope.world(spec);
    const result = await discover(w.url('mcp', '/mcp'), { challenge: figma(w), challengeStatus: 401 });

    expect(result.challenge?.resourceMetadata).toBe(w.url('mcp', PRM_ROOT));
    expect(result.scopes).toEqual(['mcp:connect']);
    expect(w.requestsTo('mcp').map((r) => r.method)).not.toContain('POST');
  });
});
