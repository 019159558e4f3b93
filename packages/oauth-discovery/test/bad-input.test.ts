import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import {
  authorizationServerMetadata,
  prmNamingSpec,
  prmPath,
  protectedResourceMetadata,
  rejection,
  resourceMetadataChallenge,
  stepOf,
  testScope,
  tracedUrls,
  unauthorized,
  type World,
} from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createRecommendedPipeline, discover } from '../src/index.js';

const OAUTH_AS = '/.well-known/oauth-authorization-server';
const scope = testScope();
afterEach(() => scope.close());
const start = scope.world;

const goodAs = {
  [OAUTH_AS]: { json: (w: World) => authorizationServerMetadata({ issuer: w.origin('as') }) },
};

describe('bad input through the recommended pipeline', () => {
  it('a PRM naming another resource is rejected with RESOURCE_MISMATCH, shown in the trace and never cached', async () => {
    const w = await start(
      prmNamingSpec(
        (x) => [x.origin('as')],
        { as: { routes: goodAs } },
        { resource: (x) => x.url('mcp', '/other') },
      ),
    );
    const pipeline = createRecommendedPipeline();
    try {
      for (let round = 0; round < 2; round++) {
        w.clearLog();
        const error = await pipeline.discover(w.url('mcp', '/mcp')).catch((e: unknown) => e);
        expect(isDiscoveryError(error, ErrorCodes.RESOURCE_MISMATCH)).toBe(true);
        if (!isDiscoveryError(error)) return;
        expect(error.actual).toBe(w.url('mcp', '/other'));
        expect(stepOf(error.trace!, 'rfc9728').outcome).toBe('failed');
        expect(tracedUrls(error.trace!)).toContain(w.url('mcp', prmPath('/mcp')));
        // Not cached: the second round asks the server again.
        expect(w.requestsTo('mcp').some((r) => r.path === prmPath('/mcp'))).toBe(true);
      }
    } finally {
      await pipeline.close();
    }
  });

  it('an issuer mismatch for an issuer named by the PRM is ISSUER_MISMATCH; no fallback swallows it', async () => {
    const w = await start(
      prmNamingSpec((x) => [x.origin('as')], {
        as: {
          routes: { [OAUTH_AS]: { json: (x) => authorizationServerMetadata({ issuer: x.origin('evil') }) } },
        },
        evil: { routes: {} },
      }),
    );
    const error = await rejection(discover(w.url('mcp', '/mcp')));
    expect(error.code).toBe(ErrorCodes.ISSUER_MISMATCH);
    expect(error.expected).toBe(w.origin('as'));
    expect(error.actual).toBe(w.origin('evil'));
    // Discovery stopped there: neither OIDC discovery nor the legacy defaults ran after it (a
    // speculative OIDC request may have gone out, but nothing consumed it).
    const ran = error.trace?.steps.filter((step) => step.outcome !== 'skipped').map((step) => step.strategy);
    expect(ran?.at(-1)).toBe('rfc8414');
    expect(ran).not.toContain('oidc');
    expect(ran).not.toContain('legacy-defaults');
  });

  it('a PRM that points at a blocked address stops with BLOCKED_ADDRESS', async () => {
    // 0.0.0.0 is the unspecified address: refused before any connection (and even a broken guard
    // could only reach this machine). The resource's own loopback range is allowed for its discovery,
    // the unspecified range is not.
    const w = await start(prmNamingSpec(() => ['https://0.0.0.0:9']));
    const error = await rejection(discover(w.url('mcp', '/mcp'), { speculate: false }));
    expect(error.code).toBe(ErrorCodes.BLOCKED_ADDRESS);
    expect(error.url).toContain('0.0.0.0');
    expect(error.trace?.relaxations.join(' ')).toMatch(/loopback/);
  });

  it('garbage, schema-invalid and 5xx documents are recorded and the next URL is tried', async () => {
    const w = await start({
      origins: {
        mcp: {
          routes: {
            '/mcp': unauthorized((w) => resourceMetadataChallenge(w.url('mcp', '/prm-garbage'))),
            '/prm-garbage': { garbage: true },
            [prmPath('/mcp')]: { json: { resource: 42 } },
            '/.well-known/oauth-protected-resource': {
              json: (w) =>
                protectedResourceMetadata(w.url('mcp', '/mcp'), [w.origin('dead'), w.origin('as')]),
            },
          },
        },
        dead: {
          routes: { [OAUTH_AS]: { status: 503 }, '/.well-known/openid-configuration': { status: 500 } },
        },
        as: { routes: goodAs },
      },
    });
    const result = await discover(w.url('mcp', '/mcp'));
    expect(result.authorizationServer.issuer).toBe(w.origin('as'));
    const prm = stepOf(result.trace, 'rfc9728');
    expect(prm.attempts.map((a) => [a.url, a.status, a.error?.code])).toEqual([
      [w.url('mcp', '/prm-garbage'), 200, ErrorCodes.INVALID_JSON],
      [w.url('mcp', prmPath('/mcp')), 200, undefined],
      [w.url('mcp', '/.well-known/oauth-protected-resource'), 200, undefined],
    ]);
    expect(prm.notes.join('\n')).toMatch(/INVALID_METADATA/);
    expect(stepOf(result.trace, 'rfc8414').attempts.map((a) => [a.url, a.status])).toEqual([
      [w.url('dead', OAUTH_AS), 503],
      [w.url('as', OAUTH_AS), 200],
    ]);
  });

  it('a resource_metadata URL that 404s still leads to the well-known URLs', async () => {
    const w = await start({
      origins: {
        mcp: {
          routes: {
            '/mcp': unauthorized((w) => resourceMetadataChallenge(w.url('mcp', '/gone'))),
            [prmPath('/mcp')]: {
              json: (w) => protectedResourceMetadata(w.url('mcp', '/mcp'), [w.origin('as')]),
            },
          },
        },
        as: { routes: goodAs },
      },
    });
    const result = await discover(w.url('mcp', '/mcp'));
    expect(result.resourceMetadata?.url).toBe(w.url('mcp', prmPath('/mcp')));
    expect(stepOf(result.trace, 'rfc9728').attempts[0]).toMatchObject({
      url: w.url('mcp', '/gone'),
      status: 404,
    });
  });

  it('a redirect loop at the first authorization server and a dead second one: the third is used', async () => {
    const w = await start(
      prmNamingSpec((x) => [x.origin('loop'), 'http://127.0.0.1:9', x.origin('as')], {
        loop: { routes: { [OAUTH_AS]: { redirect: (x) => x.url('loop', OAUTH_AS) } } },
        as: { routes: goodAs },
      }),
    );
    const result = await discover(w.url('mcp', '/mcp'));
    expect(result.authorizationServer.issuer).toBe(w.origin('as'));
    const codes = stepOf(result.trace, 'rfc8414').attempts.map((a) => a.error?.code ?? a.status);
    expect(codes).toEqual([ErrorCodes.TOO_MANY_REDIRECTS, ErrorCodes.NETWORK_ERROR, 200]);
  });
});

describe('static configuration in the recommended pipeline', () => {
  it('an issuer pinned by static config is enforced: a mismatch is ISSUER_MISMATCH', async () => {
    const w = await start({
      origins: {
        mcp: { routes: { '/mcp': unauthorized('Bearer realm="x"') } },
        as: {
          routes: { [OAUTH_AS]: { json: (w) => authorizationServerMetadata({ issuer: w.origin('other') }) } },
        },
        other: { routes: {} },
      },
    });
    const error = await discover(w.url('mcp', '/mcp'), {
      staticConfig: [{ resource: w.url('mcp', '/mcp'), issuer: w.origin('as') }],
    }).catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.ISSUER_MISMATCH)).toBe(true);
    if (!isDiscoveryError(error)) return;
    expect(error.expected).toBe(w.origin('as'));
    expect(stepOf(error.trace!, 'static-config').outcome).toBe('found');
  });

  it('a pinned issuer skips guessing and is used with an exact check', async () => {
    const w = await start({
      origins: {
        mcp: { routes: { '/mcp': unauthorized('Bearer realm="x"') } },
        as: { routes: goodAs },
      },
    });
    const result = await discover(w.url('mcp', '/mcp'), {
      staticConfig: {
        resources: [{ resource: { prefix: w.origin('mcp') }, issuer: w.origin('as'), scopes: ['a'] }],
      },
    });
    expect(result.authorizationServer).toMatchObject({ issuer: w.origin('as'), issuerCheck: 'exact' });
    expect(result.scopes).toEqual(['a']);
  });

  it.each([
    ['resources is not an array', { resources: 'nope' }],
    ['an entry is not an object', [42]],
    ['neither a list nor an object with resources', 'nope'],
  ])('a malformed configuration (%s) is INVALID_CONFIG, not a TypeError', (_name, config) => {
    expect(() => createRecommendedPipeline({ staticConfig: config as never })).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_CONFIG }),
    );
  });

  it('a bad entry fails before any request with INVALID_CONFIG naming the key', () => {
    expect(() =>
      createRecommendedPipeline({ staticConfig: [{ resource: 'not a url', issuer: 'x' }] }),
    ).toThrow(
      expect.objectContaining({
        code: ErrorCodes.INVALID_CONFIG,
        message: expect.stringContaining('resources[0]'),
      }),
    );
  });
});
