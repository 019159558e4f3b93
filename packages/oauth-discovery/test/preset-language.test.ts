/**
 * The constructs of the preset language that change what discovery fetches or accepts, through the
 * recommended pipeline against loopback replicas: a metadata URL that is not a well-known URL, and a
 * resource-identifier exception accepted only for the matched host.
 */
import { ErrorCodes } from '@oauth-discovery/core';
import { createPresetStrategy, type PresetDefinition } from '@oauth-discovery/core/preset';
import {
  authorizationServerMetadata,
  PRM_ROOT,
  protectedResourceMetadata,
  rejection,
  resourceMetadataChallenge,
  stepOf,
  testScope,
  unauthorized,
  type World,
  type WorldSpec,
} from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { discover } from '../src/index.js';

const scope = testScope();
afterEach(() => scope.close());

const fact = { statement: 'observed', observed: '2026-11-01', source: 'acme#1' };

/** The contributor's "Acme" case: metadata at `/oauth/metadata.json`, not at a well-known URL. */
function acmeSpec(namedIssuer: (w: World) => string): WorldSpec {
  return {
    origins: {
      mcp: {
        routes: {
          '/mcp': unauthorized((w) =>
            resourceMetadataChallenge(w.url('mcp', '/.well-known/oauth-protected-resource/mcp')),
          ),
          '/.well-known/oauth-protected-resource/mcp': {
            json: (w) => protectedResourceMetadata(w.url('mcp', '/mcp'), [w.url('auth', '/tenant')]),
          },
        },
      },
      auth: {
        routes: {
          '/oauth/metadata.json': { json: (w) => authorizationServerMetadata({ issuer: namedIssuer(w) }) },
        },
      },
      other: { routes: {} },
    },
  };
}

function acmePreset(w: World): PresetDefinition {
  return {
    name: 'acme',
    title: 'Acme',
    description: 'Metadata at a URL that is not well-known.',
    hosts: [w.origin('auth')],
    facts: [{ id: 'custom-url', ...fact }],
    issuerPolicies: [
      {
        match: { prefix: `${w.origin('auth')}/` },
        metadataUrl: w.url('auth', '/oauth/metadata.json'),
        facts: ['custom-url'],
      },
    ],
  };
}

describe('metadataUrl: metadata that is not at a well-known URL', () => {
  it('with the preset: fetched from the pinned URL, issuer checked exactly', async () => {
    const w = await scope.world(acmeSpec((x) => x.url('auth', '/tenant')));
    const result = await discover(w.url('mcp', '/mcp'), {
      presets: false,
      first: [createPresetStrategy(acmePreset(w))],
      legacyDefaults: false,
    });
    expect(result.authorizationServer).toMatchObject({
      issuer: w.url('auth', '/tenant'),
      issuerCheck: 'exact',
      metadataUrl: w.url('auth', '/oauth/metadata.json'),
    });
    // Only the pinned URL was fetched for this issuer: no well-known URL at all.
    expect(w.requestsTo('auth').map((r) => r.path)).toEqual(['/oauth/metadata.json']);
  });

  it('the pinned URL relaxes nothing: a document naming another issuer is ISSUER_MISMATCH', async () => {
    const w = await scope.world(acmeSpec((x) => x.origin('other')));
    const error = await rejection(
      discover(w.url('mcp', '/mcp'), {
        presets: false,
        first: [createPresetStrategy(acmePreset(w))],
        legacyDefaults: false,
      }),
    );
    expect(error.code).toBe(ErrorCodes.ISSUER_MISMATCH);
  });

  it('without the preset: every well-known URL misses, DISCOVERY_FAILED', async () => {
    const w = await scope.world(acmeSpec((x) => x.url('auth', '/tenant')));
    const error = await rejection(discover(w.url('mcp', '/mcp'), { presets: false, legacyDefaults: false }));
    expect(error.code).toBe(ErrorCodes.DISCOVERY_FAILED);
  });
});

describe('resourceIdentifierExceptions: accepted only for the matched host, traced, refused elsewhere', () => {
  /** A root PRM naming the bare origin, named by the 401 of `/mcp`, on two origins `a` and `b`. */
  const spec: WorldSpec = {
    origins: Object.fromEntries(
      ['a', 'b'].map((name) => [
        name,
        {
          routes: {
            '/mcp': unauthorized((w: World) => resourceMetadataChallenge(w.url(name, PRM_ROOT))),
            [PRM_ROOT]: { json: (w: World) => protectedResourceMetadata(w.origin(name), [w.origin(name)]) },
            '/.well-known/oauth-authorization-server': {
              json: (w: World) => authorizationServerMetadata({ issuer: w.origin(name) }),
            },
          },
        },
      ]),
    ),
  };
  const preset = (w: World): PresetDefinition => ({
    name: 'root-origin',
    title: 'Root origin',
    description: 'Root PRM naming the origin, on host a only.',
    hosts: [w.origin('a')],
    facts: [{ id: 'root-origin', ...fact }],
    resources: [
      {
        label: 'A endpoint',
        match: [{ origin: w.origin('a') }],
        resourceIdentifierExceptions: [{ resource: w.origin('a'), facts: ['root-origin'] }],
        facts: ['root-origin'],
      },
    ],
  });

  it('on the matched host: accepted, and the rfc9728 step names the relaxation and its fact', async () => {
    const w = await scope.world(spec);
    const result = await discover(w.url('a', '/mcp'), {
      presets: false,
      first: [createPresetStrategy(preset(w))],
    });
    expect(result.resourceMetadata?.document.resource).toBe(w.origin('a'));
    expect(stepOf(result.trace, 'rfc9728').notes).toContain(
      `relaxation: RFC 9728 §3.3 exception by preset:root-origin for ${w.url('a', '/mcp')} — the metadata at ${w.url('a', PRM_ROOT)} names ${w.origin('a')} as its resource; observed (observed 2026-11-01; acme#1)`,
    );
    expect(result.trace.relaxations).toContain(
      `RFC 9728 §3.3 exception by preset:root-origin for ${w.url('a', '/mcp')}`,
    );
  });

  it('on another host, with the same preset present: RESOURCE_MISMATCH', async () => {
    const w = await scope.world(spec);
    const error = await rejection(
      discover(w.url('b', '/mcp'), { presets: false, first: [createPresetStrategy(preset(w))] }),
    );
    expect(error.code).toBe(ErrorCodes.RESOURCE_MISMATCH);
  });

  it('without the preset: RESOURCE_MISMATCH', async () => {
    const w = await scope.world(spec);
    const error = await rejection(discover(w.url('a', '/mcp'), { presets: false }));
    expect(error.code).toBe(ErrorCodes.RESOURCE_MISMATCH);
  });
});
