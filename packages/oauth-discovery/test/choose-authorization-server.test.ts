/**
 * The choice among several authorization servers (chooseAuthorizationServer in core), through the
 * recommended pipeline against loopback replicas: pins first, then the first whose metadata validates
 * and where this client can register — each candidate's fate said in the trace.
 */
import { type DiscoveryResult, ErrorCodes } from '@oauth-discovery/core';
import { createPresetStrategy, type PresetDefinition } from '@oauth-discovery/core/preset';
import {
  authorizationServerMetadata,
  prmNamingSpec,
  rejection,
  stepOf,
  testScope,
  type World,
} from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { discover } from '../src/index.js';

const OAUTH_AS = '/.well-known/oauth-authorization-server';
const scope = testScope();
afterEach(() => scope.close());

/** `none` (404), `plain` (valid, no registration), `dcr` (registration endpoint), `cimd` (CIMD advertised). */
type Kind = 'none' | 'plain' | 'dcr' | 'cimd';
const server = (kind: Kind) => ({
  routes:
    kind === 'none'
      ? {}
      : {
          [OAUTH_AS]: {
            json: (w: World) => ({
              ...authorizationServerMetadata({
                issuer: w.origin(`as-${kind}`),
                registration: kind === 'dcr',
              }),
              ...(kind === 'cimd' ? { client_id_metadata_document_supported: true } : {}),
            }),
          },
        },
});

/** A PRM naming the authorization servers of these kinds, in this order. */
async function worldOf(kinds: readonly Kind[]) {
  const origins = Object.fromEntries(kinds.map((k) => [`as-${k}`, server(k)]));
  return scope.world(prmNamingSpec((w) => kinds.map((k) => w.origin(`as-${k}`)), origins));
}

const choiceNotes = (result: DiscoveryResult) =>
  stepOf(result.trace, 'rfc8414').notes.filter((n) => n.startsWith('authorization server choice:'));

describe('choosing among several authorization servers', () => {
  it('without registration options: the first whose metadata validates, and why the others were passed over', async () => {
    const w = await worldOf(['none', 'plain', 'dcr']);
    const result = await discover(w.url('mcp', '/mcp'), { presets: false });
    expect(result.authorizationServer.issuer).toBe(w.origin('as-plain'));
    expect(choiceNotes(result)).toEqual([
      `authorization server choice: passed over ${w.origin('as-none')} (from rfc9728): no valid metadata`,
      `authorization server choice: took ${w.origin('as-plain')} (listed): the first whose metadata validates`,
    ]);
  });

  it('with DCR only: passes over a server without a registration endpoint and says so', async () => {
    const w = await worldOf(['plain', 'dcr']);
    const result = await discover(w.url('mcp', '/mcp'), {
      presets: false,
      clientRegistration: { dcr: true },
    });
    expect(result.authorizationServer.issuer).toBe(w.origin('as-dcr'));
    expect(choiceNotes(result)).toEqual([
      `authorization server choice: passed over ${w.origin('as-plain')} (listed): no registration path this client can use (it has DCR (no registration_endpoint))`,
      `authorization server choice: took ${w.origin('as-dcr')} (listed): its metadata validates and this client can use dynamic client registration`,
    ]);
  });

  it('a pre-registered client for an issuer makes that issuer usable', async () => {
    const w = await worldOf(['plain', 'dcr']);
    const result = await discover(w.url('mcp', '/mcp'), {
      presets: false,
      clientRegistration: { dcr: true, preregisteredIssuers: [w.origin('as-plain')] },
    });
    expect(result.authorizationServer.issuer).toBe(w.origin('as-plain'));
    expect(choiceNotes(result)[0]).toContain('this client can use a pre-registered client for this issuer');
  });

  it('CIMD counts only where it is advertised', async () => {
    const w = await worldOf(['plain', 'cimd']);
    const result = await discover(w.url('mcp', '/mcp'), {
      presets: false,
      clientRegistration: { cimd: true },
    });
    expect(result.authorizationServer.issuer).toBe(w.origin('as-cimd'));
    expect(choiceNotes(result)[1]).toContain('a client ID metadata document (CIMD)');
  });

  it('when no server offers a usable path, the first whose metadata validates is taken, and the trace says so', async () => {
    const w = await worldOf(['plain', 'cimd']);
    const result = await discover(w.url('mcp', '/mcp'), {
      presets: false,
      clientRegistration: { dcr: true },
    });
    expect(result.authorizationServer.issuer).toBe(w.origin('as-plain'));
    expect(choiceNotes(result).at(-1)).toBe(
      `authorization server choice: took ${w.origin('as-plain')}: no authorization server has a registration path this client can use; the first whose metadata validates`,
    );
  });

  it("a preset's pin goes first, whatever the PRM order", async () => {
    const w = await worldOf(['plain', 'dcr']);
    const pin: PresetDefinition = {
      name: 'pin-test',
      title: 'Pin test',
      description: 'Pins the second authorization server.',
      hosts: [w.origin('as-dcr')],
      facts: [
        {
          id: 'pinned',
          statement: 'the operator uses this one',
          observed: '2026-11-30',
          source: 'this test',
        },
      ],
      issuerPolicies: [{ match: { exact: w.origin('as-dcr') }, pin: true, facts: ['pinned'] }],
    };
    const result = await discover(w.url('mcp', '/mcp'), {
      presets: false,
      first: [createPresetStrategy(pin)],
    });
    expect(result.authorizationServer.issuer).toBe(w.origin('as-dcr'));
    expect(choiceNotes(result)).toEqual([
      `authorization server choice: took ${w.origin('as-dcr')} (pinned by preset:pin-test): the first whose metadata validates`,
    ]);
  });

  it('static configuration pins first too (its candidate comes before the PRM list)', async () => {
    const w = await worldOf(['plain', 'dcr']);
    const result = await discover(w.url('mcp', '/mcp'), {
      presets: false,
      staticConfig: [{ resource: w.url('mcp', '/mcp'), issuer: w.origin('as-dcr') }],
      allowPrivateNetwork: true,
    });
    expect(result.authorizationServer.issuer).toBe(w.origin('as-dcr'));
    expect(choiceNotes(result)[0]).toContain('(pinned by static-config)');
  });

  it('a security error is never passed over: a candidate naming another issuer stops discovery', async () => {
    const w = await scope.world(
      prmNamingSpec((x) => [x.origin('bad'), x.origin('as-dcr')], {
        bad: {
          routes: {
            [OAUTH_AS]: { json: (x: World) => authorizationServerMetadata({ issuer: x.origin('as-dcr') }) },
          },
        },
        'as-dcr': server('dcr'),
      }),
    );
    const error = await rejection(
      discover(w.url('mcp', '/mcp'), { presets: false, clientRegistration: { dcr: true } }),
    );
    expect(error.code).toBe(ErrorCodes.ISSUER_MISMATCH);
  });
});
