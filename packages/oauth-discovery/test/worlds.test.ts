import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import {
  atlassianAuthV2World,
  atlassianV1World,
  noMetadataWorld,
  oidcOnlyWorld,
  pathIssuerAppendOnlyWorld,
  pathIssuerInsertionWorld,
  prmPath,
  prmPathAwareWorld,
  prmRootWorld,
  protectedResourceMetadata,
  resourceMetadataChallenge,
  resourceMetadataHeaderWorld,
  scopeChallengeWorld,
  startOidcProvider,
  stepOf,
  testScope,
  tracedUrls,
  unauthorized,
  type WorldShape,
} from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createRecommendedPipeline, discover } from '../src/index.js';

const scope = testScope();
afterEach(() => scope.close());
const startShape = scope.world;

const standardShapes: Array<[string, () => WorldShape]> = [
  ['PRM at the root', () => prmRootWorld()],
  ['PRM only at the path-aware URL', () => prmPathAwareWorld()],
  ['resource_metadata on another origin', () => resourceMetadataHeaderWorld()],
  ['scope in the challenge', () => scopeChallengeWorld()],
  ['Atlassian authv2 with a tenant path issuer', () => atlassianAuthV2World()],
  ['a path issuer needing insertion', () => pathIssuerInsertionWorld()],
  ['a path issuer served only by appending (Keycloak-like)', () => pathIssuerAppendOnlyWorld()],
  ['OIDC only (Google-like)', () => oidcOnlyWorld()],
];

describe('the recommended pipeline in every standard world', () => {
  it.each(standardShapes)('%s', async (_name, make) => {
    const shape = make();
    const world = await startShape(shape);
    const resource = shape.expect.resource(world);
    const result = await discover(resource);

    expect(result.authorizationServer.issuer).toBe(shape.expect.issuer(world));
    expect(result.authorizationServer.metadataUrl).toBe(shape.expect.metadataUrl(world));
    expect(result.authorizationServer.issuerCheck).toBe('exact');
    expect(result.resourceMetadata?.url).toBe(shape.expect.resourceMetadataUrl(world));
    expect(result.issuers.map((candidate) => candidate.issuer)).toEqual(
      expect.arrayContaining(shape.expect.authorizationServers(world)),
    );
    expect(result.scopes).toEqual(shape.expect.scopes);
    expect(result.pkce.s256Advertised).toBe(shape.expect.pkceAdvertised);
    expect(result.guessed).toBe(false);
    // The trace names each URL that led to the answer.
    const urls = tracedUrls(result.trace);
    const prmUrl = shape.expect.resourceMetadataUrl(world);
    if (prmUrl) expect(urls).toContain(prmUrl);
    expect(urls).toContain(shape.expect.metadataUrl(world));
    // Speculation never changes the answer.
    const speculative = await discover(resource, { speculate: true });
    expect(speculative.authorizationServer).toEqual(result.authorizationServer);
    expect(speculative.resourceMetadata).toEqual(result.resourceMetadata);
    expect(speculative.scopes).toEqual(result.scopes);
  });
});

describe('Atlassian v1 as reported', () => {
  it('without the preset: the legacy origin fallback adopts the foreign issuer and says so', async () => {
    const shape = atlassianV1World();
    const world = await startShape(shape);
    const result = await discover(shape.expect.resource(world), { presets: false });

    expect(result.authorizationServer.issuer).toBe(world.origin('cf'));
    expect(result.authorizationServer.issuerCheck).toBe('adopted');
    expect(result.authorizationServer.metadataUrl).toBe(
      world.url('mcp', '/.well-known/oauth-authorization-server'),
    );
    expect(result.resourceMetadata).toBeNull();
    expect(result.authorizationServer.metadata.token_endpoint).toBe(world.url('cf', '/v1/token'));
    const rfc9728 = stepOf(result.trace, 'rfc9728');
    expect(rfc9728.outcome).toBe('not-found');
    expect(rfc9728.attempts.map((a) => [a.url, a.status])).toEqual([
      [world.url('mcp', '/.well-known/oauth-protected-resource/v1/mcp'), 401],
      [world.url('mcp', '/.well-known/oauth-protected-resource'), 404],
    ]);
    expect(stepOf(result.trace, 'rfc8414').notes.join('\n')).toMatch(/adopted/);
  });

  it('with the preset: the foreign issuer is accepted as a pinned alias, named in the trace', async () => {
    const shape = atlassianV1World();
    const world = await startShape(shape);
    const result = await discover(shape.expect.resource(world), {
      presets: ['atlassian'],
      presetHosts: {
        'https://mcp.atlassian.com': world.origin('mcp'),
        'https://cf.mcp.atlassian.com': world.origin('cf'),
      },
    });

    expect(result.authorizationServer.issuer).toBe(world.origin('cf'));
    expect(result.authorizationServer.issuerCheck).toBe('alias');
    expect(stepOf(result.trace, 'preset:atlassian').outcome).toBe('found');
    expect(stepOf(result.trace, 'rfc8414').notes.join('\n')).toMatch(/preset:atlassian/);
  });

  it('with the preset, a third issuer the preset never observed is refused with ISSUER_MISMATCH', async () => {
    const shape = atlassianV1World();
    const world = await startShape(shape);
    // The preset pins exactly the observed issuers; map the foreign one somewhere else so the
    // world's issuer is one the preset has never seen.
    const error = await discover(shape.expect.resource(world), {
      presets: ['atlassian'],
      presetHosts: {
        'https://mcp.atlassian.com': world.origin('mcp'),
        'https://cf.mcp.atlassian.com': 'http://127.0.0.99:1',
      },
    }).catch((e: unknown) => e);

    expect(isDiscoveryError(error, ErrorCodes.ISSUER_MISMATCH)).toBe(true);
    if (!isDiscoveryError(error)) return;
    expect(error.actual).toBe(world.origin('cf'));
    expect(error.trace?.steps.map((step) => step.strategy)).toContain('rfc8414');
  });

  it('with speculation it costs one round trip; leftovers are aborted or unused', async () => {
    const shape = atlassianV1World({ latencyMs: 30 });
    const world = await startShape(shape);
    const pipeline = createRecommendedPipeline({ presets: false, speculate: true });
    try {
      const result = await pipeline.discover(shape.expect.resource(world));
      expect(result.authorizationServer.issuerCheck).toBe('adopted');
      // The origin's RFC 8414 document was started before the PRM misses were known.
      const asAttempt = stepOf(result.trace, 'rfc8414').attempts[0];
      expect(asAttempt?.speculative).toBe(true);
    } finally {
      await pipeline.close();
    }
  });
});

describe('nothing at all', () => {
  it('falls back to the MCP 2025-03-26 default endpoints, marked guessed', async () => {
    const shape = noMetadataWorld();
    const world = await startShape(shape);
    const result = await discover(shape.expect.resource(world));

    expect(result.guessed).toBe(true);
    expect(result.authorizationServer.issuerCheck).toBe('guessed');
    expect(result.authorizationServer.metadata.authorization_endpoint).toBe(world.url('mcp', '/authorize'));
    expect(result.authorizationServer.metadata.token_endpoint).toBe(world.url('mcp', '/token'));
    expect(stepOf(result.trace, 'legacy-defaults').notes.join('\n')).toMatch(/guessed/);
  });

  it('fails with DISCOVERY_FAILED naming every URL tried when the last resort is left out', async () => {
    const shape = noMetadataWorld();
    const world = await startShape(shape);
    const error = await discover(shape.expect.resource(world), { legacyDefaults: false }).catch(
      (e: unknown) => e,
    );

    expect(isDiscoveryError(error, ErrorCodes.DISCOVERY_FAILED)).toBe(true);
    if (!isDiscoveryError(error)) return;
    expect(error.message).toContain(world.url('mcp', '/.well-known/oauth-protected-resource/mcp'));
    expect(error.message).toContain(world.url('mcp', '/.well-known/oauth-authorization-server'));
    expect(error.message).toContain(world.url('mcp', '/.well-known/openid-configuration'));
    expect(error.trace?.steps.length).toBeGreaterThan(3);
  });
});

describe('a real authorization server (oidc-provider) behind a testkit resource server', () => {
  it('finds its issuer and endpoints through PRM and OpenID Connect discovery', async () => {
    const provider = await startOidcProvider({ issuerPath: '/oidc' });
    try {
      const world = await startShape({
        spec: {
          origins: {
            mcp: {
              routes: {
                '/mcp': unauthorized((w) => resourceMetadataChallenge(w.url('mcp', prmPath('/mcp')))),
                [prmPath('/mcp')]: {
                  json: (w) => protectedResourceMetadata(w.url('mcp', '/mcp'), [provider.issuer], ['openid']),
                },
              },
            },
          },
        },
      });
      const result = await discover(world.url('mcp', '/mcp'));
      expect(result.authorizationServer.issuer).toBe(provider.issuer);
      expect(result.authorizationServer.issuerCheck).toBe('exact');
      expect(result.authorizationServer.metadataUrl).toBe(provider.metadataUrl);
      expect(result.authorizationServer.metadata.token_endpoint).toMatch(new RegExp(`^${provider.issuer}`));
      expect(result.pkce.s256Advertised).toBe(true);
      expect(result.scopes).toEqual(['openid']);
      // RFC 8414 insertion was tried first and missed; OIDC insertion or appending found it.
      expect(stepOf(result.trace, 'rfc8414').outcome).toBe('not-found');
      expect(stepOf(result.trace, 'oidc').outcome).toBe('found');
    } finally {
      await provider.close();
    }
  });
});
