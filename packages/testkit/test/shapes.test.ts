import { afterEach, describe, expect, it } from 'vitest';
import type { World, WorldShape } from '../src/index.js';
import {
  ATLASSIAN_V1_CHALLENGE,
  asanaWorld,
  atlassianAuthV2World,
  atlassianV1World,
  auth0World,
  boxWorld,
  cloudflareWorld,
  cognitoWorld,
  entraWorld,
  foreignIssuerWorld,
  githubEnterpriseWorld,
  githubWorld,
  googleWorld,
  hubspotWorld,
  keycloakWorld,
  linearWorld,
  noMetadataWorld,
  notionWorld,
  oidcOnlyWorld,
  pathIssuerAppendOnlyWorld,
  pathIssuerInsertionWorld,
  prmPathAwareWorld,
  prmRootWorld,
  resourceMetadataHeaderWorld,
  scopeChallengeWorld,
  slackWorld,
  startWorld,
  stripeWorld,
  supabaseWorld,
} from '../src/index.js';
import { send } from './http.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const open = async (spec: WorldShape['spec']): Promise<World> => {
  world = await startWorld(spec);
  return world;
};

const shapes: WorldShape[] = [
  prmRootWorld(),
  prmPathAwareWorld(),
  resourceMetadataHeaderWorld(),
  scopeChallengeWorld(),
  atlassianV1World(),
  atlassianAuthV2World(),
  pathIssuerInsertionWorld(),
  pathIssuerAppendOnlyWorld(),
  oidcOnlyWorld(),
  noMetadataWorld(),
  githubWorld(),
  entraWorld(),
  entraWorld({ pkceAdvertised: true }),
  atlassianAuthV2World({ resourcePath: '/v2/mcp', issuerDropsPath: true }),
  // The 2026 provider replicas, as reported and once the provider fixed it (or moved on).
  slackWorld(),
  slackWorld({ issuer: 'mcp', prmNamesOrigin: false }),
  hubspotWorld(),
  hubspotWorld({ prmNamesOrigin: false, registration: true }),
  githubEnterpriseWorld(),
  githubEnterpriseWorld({ crossOrigin: false }),
  foreignIssuerWorld(),
  foreignIssuerWorld({ fixed: true, form: 'oidc' }),
  ...[notionWorld, linearWorld, stripeWorld, cloudflareWorld, supabaseWorld, asanaWorld, boxWorld].flatMap(
    (make) => [make(), make({ fixed: true })],
  ),
  ...[googleWorld, cognitoWorld, keycloakWorld, auth0World].flatMap((make) => [
    make(),
    make({ fixed: true }),
  ]),
];

describe.each(shapes.map((shape) => [shape.name, shape] as const))('shape %s', (_name, shape) => {
  it('serves what its expectation says', async () => {
    const w = await open(shape.spec);
    const resource = shape.expect.resource(w);
    expect(resource).toBe(w.url('mcp', shape.resourcePath));
    expect((await send(resource)).status).toBe(401);

    const prmUrl = shape.expect.resourceMetadataUrl(w);
    if (prmUrl !== undefined) {
      const prm = await send(prmUrl);
      expect(prm.status).toBe(200);
      expect(prm.headers['content-type']).toBe('application/json');
      expect(prm.json()).toMatchObject({ authorization_servers: shape.expect.authorizationServers(w) });
    }

    const metadataUrl = shape.expect.metadataUrl(w);
    if (metadataUrl === undefined) {
      expect(shape.expect.issuer(w)).toBeUndefined();
      return;
    }
    const metadata = (await send(metadataUrl)).json() as Record<string, unknown>;
    expect(metadata.issuer).toBe(shape.expect.issuer(w));
    expect(metadata.response_types_supported).toContain('code');
    expect(typeof metadata.authorization_endpoint).toBe('string');
    expect(typeof metadata.token_endpoint).toBe('string');
    expect('registration_endpoint' in metadata).toBe(shape.expect.registration);
    const methods = (metadata.code_challenge_methods_supported ?? []) as string[];
    expect(methods.includes('S256')).toBe(shape.expect.pkceAdvertised);
  });
});

describe('shape details', () => {
  it('prm-root: the PRM names the full resource; the path-aware URL is 404', async () => {
    const shape = prmRootWorld({ latencyMs: 1 });
    const w = await open(shape.spec);
    expect(shape.spec.latencyMs).toBe(1);
    expect((await send(shape.expect.resourceMetadataUrl(w)!)).json()).toMatchObject({
      resource: shape.expect.resource(w),
    });
    expect((await send(w.url('mcp', '/.well-known/oauth-protected-resource/mcp'))).status).toBe(404);
    expect((await send(shape.expect.resource(w))).headers['www-authenticate']).not.toContain(
      'resource_metadata',
    );
  });

  it('prm-path-aware: root PRM 404, path-aware PRM names the resource', async () => {
    const shape = prmPathAwareWorld();
    const w = await open(shape.spec);
    expect((await send(w.url('mcp', '/.well-known/oauth-protected-resource'))).status).toBe(404);
    expect((await send(shape.expect.resourceMetadataUrl(w)!)).json()).toMatchObject({
      resource: shape.expect.resource(w),
    });
  });

  it('resource-metadata-header: the 401 names a PRM on another origin; every well-known PRM is 404', async () => {
    const shape = resourceMetadataHeaderWorld();
    const w = await open(shape.spec);
    const challenge = (await send(shape.expect.resource(w))).headers['www-authenticate'];
    expect(challenge).toBe(`Bearer resource_metadata="${shape.expect.resourceMetadataUrl(w)}"`);
    expect(new URL(shape.expect.resourceMetadataUrl(w)!).origin).not.toBe(w.origin('mcp'));
    expect((await send(w.url('mcp', '/.well-known/oauth-protected-resource/mcp'))).status).toBe(404);
    expect((await send(w.url('mcp', '/.well-known/oauth-protected-resource'))).status).toBe(404);
  });

  it('scope-challenge: 401 with scope, 403 insufficient_scope with a token', async () => {
    const shape = scopeChallengeWorld();
    const w = await open(shape.spec);
    const anonymous = await send(shape.expect.resource(w));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain('scope="files:read"');
    const withToken = await send(shape.expect.resource(w), { headers: { authorization: 'Bearer abc' } });
    expect(withToken.status).toBe(403);
    expect(withToken.headers['www-authenticate']).toContain(
      'error="insufficient_scope", scope="files:read files:write"',
    );
  });

  it('atlassian-v1: no PRM anywhere, foreign issuer at the origin root, endpoints on the foreign origin', async () => {
    const shape = atlassianV1World();
    const w = await open(shape.spec);
    const challenge = await send(shape.expect.resource(w), { method: 'POST', body: '{}' });
    expect(challenge.status).toBe(401);
    expect(challenge.headers['www-authenticate']).toBe(ATLASSIAN_V1_CHALLENGE);
    expect((await send(w.url('mcp', '/.well-known/oauth-protected-resource/v1/mcp'))).status).toBe(401);
    expect((await send(w.url('mcp', '/v1/.well-known/oauth-protected-resource'))).status).toBe(404);
    expect((await send(w.url('mcp', '/.well-known/oauth-protected-resource'))).status).toBe(404);
    expect((await send(w.url('mcp', '/.well-known/openid-configuration'))).status).toBe(404);
    const metadata = (await send(shape.expect.metadataUrl(w)!)).json() as Record<string, string>;
    expect(metadata.issuer).toBe(w.origin('cf'));
    expect(metadata.issuer).not.toBe(w.origin('mcp'));
    expect(metadata.token_endpoint).toBe(w.url('cf', '/v1/token'));
    expect(metadata.registration_endpoint).toBe(w.url('cf', '/v1/register'));
    expect(metadata.authorization_endpoint).toBe(w.url('mcp', '/v1/authorize'));
  });

  it('atlassian-v1 with sameOriginIssuer names the MCP origin', async () => {
    const shape = atlassianV1World({ sameOriginIssuer: true });
    const w = await open(shape.spec);
    expect(((await send(shape.expect.metadataUrl(w)!)).json() as { issuer: string }).issuer).toBe(
      w.origin('mcp'),
    );
  });

  it('atlassian-authv2: tenant issuer at the path-inserted URL; origin document lacks registration', async () => {
    const shape = atlassianAuthV2World({ tenantId: 't-1' });
    const w = await open(shape.spec);
    expect(shape.expect.issuer(w)).toBe(w.url('auth', '/t-1'));
    expect(shape.expect.metadataUrl(w)).toBe(w.url('auth', '/.well-known/oauth-authorization-server/t-1'));
    const origin = (await send(w.url('auth', '/.well-known/oauth-authorization-server'))).json() as object;
    expect(origin).toMatchObject({ issuer: w.origin('auth') });
    expect(origin).not.toHaveProperty('registration_endpoint');
    const dropped = atlassianAuthV2World({ issuerDropsPath: true });
    await world?.close();
    const w2 = await open(dropped.spec);
    expect(((await send(dropped.expect.metadataUrl(w2)!)).json() as { issuer: string }).issuer).toBe(
      w2.origin('auth'),
    );
  });

  it('path issuers: insertion only vs appending only', async () => {
    const insertion = pathIssuerInsertionWorld();
    const w = await open(insertion.spec);
    expect((await send(w.url('as', '/.well-known/oauth-authorization-server'))).status).toBe(404);
    expect((await send(w.url('as', '/mcp/.well-known/openid-configuration'))).status).toBe(404);
    await world?.close();
    const append = pathIssuerAppendOnlyWorld();
    const w2 = await open(append.spec);
    expect(append.expect.issuer(w2)).toBe(w2.url('as', '/realms/demo'));
    expect((await send(w2.url('as', '/.well-known/oauth-authorization-server/realms/demo'))).status).toBe(
      404,
    );
    expect((await send(w2.url('as', '/.well-known/openid-configuration/realms/demo'))).status).toBe(404);
  });

  it('oidc-only and entra: RFC 8414 URLs 404', async () => {
    const oidc = oidcOnlyWorld();
    const w = await open(oidc.spec);
    expect((await send(w.url('as', '/.well-known/oauth-authorization-server'))).status).toBe(404);
    await world?.close();
    const entra = entraWorld({ tenant: 'contoso' });
    const w2 = await open(entra.spec);
    expect(entra.expect.issuer(w2)).toBe(w2.url('as', '/contoso/v2.0'));
    expect((await send(w2.url('as', '/.well-known/oauth-authorization-server/contoso/v2.0'))).status).toBe(
      404,
    );
    expect((await send(w2.url('as', '/.well-known/openid-configuration/contoso/v2.0'))).status).toBe(404);
    expect((await send(entra.expect.metadataUrl(w2)!)).json()).not.toHaveProperty(
      'code_challenge_methods_supported',
    );
  });

  it('no-metadata: 401 without WWW-Authenticate and nothing at the well-known URLs', async () => {
    const shape = noMetadataWorld();
    const w = await open(shape.spec);
    const res = await send(shape.expect.resource(w));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBeUndefined();
    for (const path of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-authorization-server',
      '/.well-known/openid-configuration',
    ]) {
      expect((await send(w.url('mcp', path))).status).toBe(404);
    }
  });

  it('github: trailing-slash resource, PRM resource with slash (or without, as in 2025), DCR refused', async () => {
    const shape = githubWorld();
    const w = await open(shape.spec);
    expect(shape.expect.resource(w).endsWith('/mcp/')).toBe(true);
    expect((await send(shape.expect.resourceMetadataUrl(w)!)).json()).toMatchObject({
      resource: shape.expect.resource(w),
    });
    expect((await send(w.url('as', '/login/oauth/.well-known/openid-configuration'))).status).toBe(404);
    expect((await send(w.url('as', '/login/oauth/register'), { method: 'POST', body: '{}' })).status).toBe(
      422,
    );
    await world?.close();
    const quirk = githubWorld({ prmResourceWithoutSlash: true });
    const w2 = await open(quirk.spec);
    expect((await send(quirk.expect.resourceMetadataUrl(w2)!)).json()).toMatchObject({
      resource: w2.url('mcp', '/mcp'),
    });
  });
});
