/**
 * The provider quirks of docs/provider-quirks.md that concern the authorization server (6–8, 10–12, 14), each
 * proved through the recommended pipeline against loopback replicas. docs/provider-quirks.md maps every
 * quirk to its test.
 */
import { ErrorCodes } from '@oauth-discovery/core';
import {
  atlassianAuthV2World,
  atlassianV1World,
  authorizationServerMetadata,
  entraWorld,
  githubWorld,
  openIdConfiguration,
  prmNamingSpec,
  rejection,
  stepOf,
  testScope,
  urlsOf,
  type World,
} from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { discover } from '../src/index.js';

const OAUTH_AS = '/.well-known/oauth-authorization-server';
const OIDC = '/.well-known/openid-configuration';

const scope = testScope();
afterEach(() => scope.close());

const prmWorld = prmNamingSpec;

const asNaming = (issuer: (w: World) => string) => ({
  routes: { [OAUTH_AS]: { json: (w: World) => authorizationServerMetadata({ issuer: issuer(w) }) } },
});

describe('quirk 6: trailing-slash differences between authorization_servers and the issuer', () => {
  it.each([
    ['the PRM entry has the slash', (w: World) => `${w.origin('as')}/`, (w: World) => w.origin('as')],
    ['the issuer has the slash', (w: World) => w.origin('as'), (w: World) => `${w.origin('as')}/`],
  ])('origin-only issuer, %s: accepted exactly', async (_name, listed, named) => {
    const w = await scope.world(prmWorld((x) => [listed(x)], { as: asNaming(named) }));
    const result = await discover(w.url('mcp', '/mcp'));
    expect(result.authorizationServer).toMatchObject({ issuer: named(w), issuerCheck: 'exact' });
    expect(result.authorizationServer.metadataUrl).toBe(w.url('as', OAUTH_AS));
  });

  it('a path issuer is compared exactly: a slash difference is ISSUER_MISMATCH (RFC 8414 §3.3)', async () => {
    const w = await scope.world(
      prmWorld((x) => [x.url('as', '/tenant/')], {
        as: {
          routes: {
            [`${OAUTH_AS}/tenant`]: {
              json: (x) => authorizationServerMetadata({ issuer: x.url('as', '/tenant') }),
            },
          },
        },
      }),
    );
    const error = await rejection(discover(w.url('mcp', '/mcp')));
    expect(error.code).toBe(ErrorCodes.ISSUER_MISMATCH);
    expect(error).toMatchObject({ expected: w.url('as', '/tenant/'), actual: w.url('as', '/tenant') });
  });
});

describe('quirk 7: the issuer differs from where the metadata was fetched, and changes over time', () => {
  /** The preset's hosts mapped onto the world's origins (`mcp`, and `cf` or `auth`). */
  const atlassianHosts = (w: World, other: 'cf' | 'auth') => ({
    'https://mcp.atlassian.com': w.origin('mcp'),
    [other === 'cf' ? 'https://cf.mcp.atlassian.com' : 'https://auth.atlassian.com']: w.origin(other),
  });

  it.each([
    ['2026-07 foreign issuer', false, 'cf', 'alias'],
    ['2026-10 same-origin issuer', true, 'mcp', 'exact'],
  ] as const)('Atlassian v1, %s: accepted by the preset', async (_name, sameOriginIssuer, origin, check) => {
    const shape = atlassianV1World({ sameOriginIssuer });
    const w = await scope.world(shape);
    const result = await discover(shape.expect.resource(w), {
      presets: ['atlassian'],
      presetHosts: atlassianHosts(w, 'cf'),
    });
    expect(result.authorizationServer).toMatchObject({ issuer: w.origin(origin), issuerCheck: check });
  });

  it.each([
    ['2026-07 tenant path dropped', true, 'alias'],
    ['2026-10 tenant path kept', false, 'exact'],
  ] as const)('Atlassian authv2, %s: accepted by the preset', async (_name, issuerDropsPath, check) => {
    const shape = atlassianAuthV2World({ issuerDropsPath });
    const w = await scope.world(shape);
    const result = await discover(shape.expect.resource(w), {
      presets: ['atlassian'],
      presetHosts: atlassianHosts(w, 'auth'),
    });
    expect(result.authorizationServer.issuer).toBe(shape.expect.issuer(w));
    expect(result.authorizationServer.issuerCheck).toBe(check);
  });

  it('Atlassian authv2 with the path dropped and no preset: ISSUER_MISMATCH, never a silent fallback', async () => {
    const shape = atlassianAuthV2World({ issuerDropsPath: true });
    const w = await scope.world(shape);
    const error = await rejection(discover(shape.expect.resource(w), { presets: false }));
    expect(error.code).toBe(ErrorCodes.ISSUER_MISMATCH);
    expect(error.actual).toBe(w.origin('auth'));
  });
});

describe('quirks 8, 10, 12: Microsoft Entra ID (appending only, PKCE not advertised, no registration)', () => {
  it('with the preset: only the appended OIDC URL is asked, PKCE usable, hints for the flow layer', async () => {
    const shape = entraWorld();
    const w = await scope.world(shape);
    const result = await discover(shape.expect.resource(w), {
      presets: ['microsoft-entra'],
      presetHosts: { 'https://login.microsoftonline.com': w.origin('as') },
    });

    expect(result.authorizationServer.metadataUrl).toBe(shape.expect.metadataUrl(w));
    expect(w.requestsTo('as').map((r) => r.path)).toEqual([new URL(shape.expect.metadataUrl(w)!).pathname]);
    expect(result.pkce).toEqual({ s256Advertised: false, s256Usable: true });
    expect(result.hints).toMatchObject({
      requiresPreregisteredClient: true,
      omitResourceParameter: true,
      pkceS256KnownSupported: true,
    });
    expect(result.authorizationServer.metadata.registration_endpoint).toBeUndefined();
  });

  it('without the preset: found by trying every form, but PKCE is not usable (MCP: refuse)', async () => {
    const shape = entraWorld();
    const w = await scope.world(shape);
    const result = await discover(shape.expect.resource(w), { presets: false });

    expect(result.authorizationServer.metadataUrl).toBe(shape.expect.metadataUrl(w));
    expect(urlsOf(stepOf(result.trace, 'rfc8414'))).toEqual([
      w.url('as', `${OAUTH_AS}/${tenantPath(shape, w)}`),
    ]);
    expect(result.pkce).toEqual({ s256Advertised: false, s256Usable: false });
    expect(result.hints.requiresPreregisteredClient).toBeUndefined();
  });

  it('GitHub (quirk 12): no registration_endpoint; the preset says a pre-registered client is required', async () => {
    const shape = githubWorld();
    const w = await scope.world(shape);
    const result = await discover(shape.expect.resource(w), {
      presets: ['github'],
      presetHosts: { 'https://api.githubcopilot.com': w.origin('mcp'), 'https://github.com': w.origin('as') },
    });
    expect(result.authorizationServer.issuer).toBe(shape.expect.issuer(w));
    expect(result.authorizationServer.metadata.registration_endpoint).toBeUndefined();
    expect(result.hints.requiresPreregisteredClient).toBe(true);
  });
});

describe('quirk 11: the RFC 8414 and OIDC documents of one server differ', () => {
  const spec = prmWorld((w) => [w.origin('as')], {
    as: {
      routes: {
        [OAUTH_AS]: {
          json: (w) => authorizationServerMetadata({ issuer: w.origin('as'), registration: false }),
        },
        [OIDC]: { json: (w) => openIdConfiguration({ issuer: w.origin('as') }) },
      },
    },
  });

  it('the first document in MCP order is used as is, never merged with the other', async () => {
    const w = await scope.world(spec);
    const result = await discover(w.url('mcp', '/mcp'));

    expect(result.authorizationServer.metadataUrl).toBe(w.url('as', OAUTH_AS));
    expect(result.authorizationServer.metadata.registration_endpoint).toBeUndefined();
    expect(result.authorizationServer.metadata.jwks_uri).toBeUndefined();
    expect(stepOf(result.trace, 'oidc').outcome).toBe('skipped');
  });

  it('an operator picks the other document with a static-config metadataUrl (issuer still checked)', async () => {
    const w = await scope.world(spec);
    const result = await discover(w.url('mcp', '/mcp'), {
      staticConfig: [
        { resource: w.url('mcp', '/mcp'), metadataUrl: w.url('as', OIDC), issuer: w.origin('as') },
      ],
    });

    expect(result.authorizationServer.metadataUrl).toBe(w.url('as', OIDC));
    expect(result.authorizationServer.issuerCheck).toBe('exact');
    expect(result.authorizationServer.metadata.registration_endpoint).toBe(`${w.origin('as')}/register`);
  });
});

describe('quirk 14: several authorization_servers, the first not usable', () => {
  it('every candidate is tried in order: the first has no metadata anywhere, the second is used', async () => {
    const w = await scope.world(
      prmWorld((x) => [x.url('first', '/tenant'), x.origin('second')], {
        first: { routes: {} },
        second: asNaming((x) => x.origin('second')),
      }),
    );
    const result = await discover(w.url('mcp', '/mcp'));

    expect(result.issuers.map((c) => c.issuer)).toEqual([w.url('first', '/tenant'), w.origin('second')]);
    expect(result.authorizationServer).toMatchObject({ issuer: w.origin('second'), issuerCheck: 'exact' });
    expect(urlsOf(stepOf(result.trace, 'rfc8414'))).toEqual([
      w.url('first', `${OAUTH_AS}/tenant`),
      w.url('second', OAUTH_AS),
    ]);
  });

  it('RFC 8414 is tried for every candidate before OIDC: an OAuth-only second beats an OIDC-only first', async () => {
    const w = await scope.world(
      prmWorld((x) => [x.origin('first'), x.origin('second')], {
        first: { routes: { [OIDC]: { json: (x) => openIdConfiguration({ issuer: x.origin('first') }) } } },
        second: asNaming((x) => x.origin('second')),
      }),
    );
    const result = await discover(w.url('mcp', '/mcp'));
    expect(result.authorizationServer.issuer).toBe(w.origin('second'));
    expect(stepOf(result.trace, 'oidc').outcome).toBe('skipped');
  });

  it('a first candidate whose metadata names another issuer stops discovery (ISSUER_MISMATCH is never skipped)', async () => {
    const w = await scope.world(
      prmWorld((x) => [x.origin('first'), x.origin('second')], {
        first: asNaming((x) => x.origin('second')),
        second: asNaming((x) => x.origin('second')),
      }),
    );
    const error = await rejection(discover(w.url('mcp', '/mcp'), { speculate: false }));
    expect(error.code).toBe(ErrorCodes.ISSUER_MISMATCH);
    expect(error.expected).toBe(w.origin('first'));
    expect(w.requestsTo('second')).toEqual([]);
  });
});

function tenantPath(shape: ReturnType<typeof entraWorld>, w: World): string {
  return new URL(shape.expect.issuer(w)!).pathname.slice(1);
}
