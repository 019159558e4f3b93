import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import {
  authorizationServerMetadata,
  prmPath,
  protectedResourceMetadata,
  resourceMetadataChallenge,
  startWorld,
  unauthorized,
  type World,
  type WorldSpec,
} from '@oauth-discovery/testkit';
import { discover } from 'oauth-discovery';
import { afterEach, describe, expect, it } from 'vitest';
import { followAuthorizationRedirects } from '../src/headless.js';

// Finding 7 of the security review (audit): one PRM with 300 `authorization_servers` made 900
// requests (capped by the honest-discovery work). No other list in a document may multiply requests:
// lists of endpoints, scopes, methods or unknown URLs are never fetched, a challenge header with many
// `resource_metadata` values is read once, and redirect chains stop at the cap.

const worlds: World[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((world) => world.close()));
});
async function world(spec: WorldSpec): Promise<World> {
  const started = await startWorld(spec);
  worlds.push(started);
  return started;
}

const MANY = 300;
const many = (make: (i: number) => string) => Array.from({ length: MANY }, (_, i) => make(i));

/** A spec-following world; `hostile` fills every list of both documents with 300 entries pointing at `bait`. */
function prmWorldSpec(hostile: boolean): WorldSpec {
  const bait = (w: World) => (i: number) => w.url('bait', `/x/${i}`);
  return {
    origins: {
      mcp: {
        routes: {
          '/mcp': unauthorized((w) => resourceMetadataChallenge(w.url('mcp', prmPath('/mcp')))),
          [prmPath('/mcp')]: {
            json: (w) => ({
              ...protectedResourceMetadata(w.url('mcp', '/mcp'), [w.origin('as')]),
              ...(hostile
                ? {
                    scopes_supported: many((i) => `scope${i}`),
                    bearer_methods_supported: many((i) => `m${i}`),
                    resource_documentation: bait(w)(0),
                    jwks_uri: bait(w)(1),
                    x_links: many(bait(w)),
                  }
                : {}),
            }),
          },
        },
      },
      as: {
        routes: {
          '/.well-known/oauth-authorization-server': {
            json: (w) =>
              authorizationServerMetadata({
                issuer: w.origin('as'),
                ...(hostile
                  ? {
                      scopes: many((i) => `scope${i}`),
                      extra: {
                        jwks_uri: bait(w)(2),
                        grant_types_supported: many((i) => `g${i}`),
                        token_endpoint_auth_methods_supported: many((i) => `a${i}`),
                        x_endpoints: many(bait(w)),
                        mtls_endpoint_aliases: Object.fromEntries(
                          many((i) => `e${i}`).map((k, i) => [k, bait(w)(i)]),
                        ),
                      },
                    }
                  : {}),
              }),
          },
        },
      },
      bait: { routes: {} },
    },
  };
}

describe('no list in a document multiplies requests', () => {
  it('300-entry lists of scopes, methods, endpoints and unknown URLs cost no request', async () => {
    const plain = await world(prmWorldSpec(false));
    await discover(plain.url('mcp', '/mcp'), { noCache: true });
    const hostile = await world(prmWorldSpec(true));
    const result = await discover(hostile.url('mcp', '/mcp'), { noCache: true });
    expect(result.authorizationServer.issuer).toBe(hostile.origin('as'));
    expect(hostile.requests.length).toBe(plain.requests.length);
    expect(hostile.requestsTo('bait')).toEqual([]);
  });

  it('a challenge naming 300 resource_metadata URLs is read once', async () => {
    const w = await world({
      origins: {
        mcp: {
          routes: {
            '/mcp': unauthorized((w) =>
              many((i) => `Bearer resource_metadata="${w.url('bait', `/prm/${i}`)}"`).join(', '),
            ),
          },
        },
        bait: { routes: {} },
      },
    });
    await discover(w.url('mcp', '/mcp'), { noCache: true }).catch(() => undefined);
    expect(w.requestsTo('bait').length).toBeLessThanOrEqual(1);
  });

  it('a redirect chain of 50 hops at a metadata URL stops at the redirect cap (TOO_MANY_REDIRECTS)', async () => {
    const hops = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`/hop/${i}`, { redirect: `/hop/${i + 1}` }]),
    );
    const w = await world({
      origins: {
        mcp: {
          routes: {
            '/mcp': unauthorized((w) => resourceMetadataChallenge(w.url('mcp', '/hop/0'))),
            ...hops,
          },
        },
      },
    });
    await discover(w.url('mcp', '/mcp'), { noCache: true }).catch(() => undefined);
    // The default cap is 3 redirects: 4 requests for the chain, never 50.
    expect(w.requestsTo('mcp').filter((r) => r.path.startsWith('/hop/')).length).toBeLessThanOrEqual(4);
  });

  it('a headless redirect chain of 50 hops stops at 10 (TOO_MANY_REDIRECTS)', async () => {
    const hops = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`/hop/${i}`, { redirect: `/hop/${i + 1}` }]),
    );
    const w = await world({ origins: { as: { routes: hops } } });
    const error = await followAuthorizationRedirects(
      w.url('as', '/hop/0'),
      'http://127.0.0.1:8976/callback',
      {
        allowAddressRanges: ['loopback'],
      },
    ).catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.TOO_MANY_REDIRECTS)).toBe(true);
    expect(w.requests.length).toBe(11);
  });
});
