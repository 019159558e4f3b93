/**
 * Rows of docs/provider-quirks.md "Providers observed in 2026" that no preset handles, through the recommended pipeline against
 * loopback replicas: what the standard strategies do, and the operator's remedy where one is needed.
 * docs/provider-quirks.md maps every row to its preset or to one of these tests.
 */
import { ErrorCodes } from '@oauth-discovery/core';
import {
  authorizationServerMetadata,
  prmPath,
  rejection,
  resourceMetadataChallenge,
  testScope,
  unauthorized,
  type World,
  type WorldSpec,
} from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { discover } from '../src/index.js';

const OAUTH_AS = '/.well-known/oauth-authorization-server';
const scope = testScope();
afterEach(() => scope.close());

/** `/mcp` answers 401 naming its path-aware PRM, whose document is `prm`; `as` serves `metadata`. */
function spec(prm: (w: World) => unknown, metadata: (w: World) => unknown): WorldSpec {
  return {
    origins: {
      mcp: {
        routes: {
          '/mcp': unauthorized((w) => resourceMetadataChallenge(w.url('mcp', prmPath('/mcp')))),
          [prmPath('/mcp')]: { json: prm },
        },
      },
      as: { routes: { [OAUTH_AS]: { json: metadata } } },
      clerk: { routes: {} },
    },
  };
}

describe('providers handled without a preset', () => {
  it('GitLab self-managed (codex#40885): a PRM whose resource is an array is refused with its cause, INVALID_METADATA', async () => {
    const w = await scope.world(
      spec(
        (x) => ({ resource: [x.url('mcp', '/mcp')], authorization_servers: [x.origin('as')] }),
        (x) => authorizationServerMetadata({ issuer: x.origin('as') }),
      ),
    );
    const error = await rejection(discover(w.url('mcp', '/mcp'), { lastResort: false }));
    // An unusable PRM is the discovery's real cause (issue 9): it leads, not a generic DISCOVERY_FAILED.
    expect(error.code).toBe(ErrorCodes.INVALID_METADATA);
  });

  it('Sentry (sentry-mcp#742): PRM, PKCE plain and S256, DCR — conformant, found exactly', async () => {
    const w = await scope.world(
      spec(
        (x) => ({ resource: x.url('mcp', '/mcp'), authorization_servers: [x.origin('as')] }),
        (x) =>
          authorizationServerMetadata({ issuer: x.origin('as'), codeChallengeMethods: ['plain', 'S256'] }),
      ),
    );
    const result = await discover(w.url('mcp', '/mcp'));
    expect(result.authorizationServer.issuerCheck).toBe('exact');
    expect(result.pkce.s256Advertised).toBe(true);
  });

  describe('Clerk-hosted servers, Meta, Salesforce (codex#38944, context7#2723, skyvern#8263): a foreign issuer', () => {
    const foreign = () =>
      spec(
        (x) => ({ resource: x.url('mcp', '/mcp'), authorization_servers: [x.origin('as')] }),
        (x) => authorizationServerMetadata({ issuer: x.origin('clerk') }),
      );

    it('strictly: ISSUER_MISMATCH (no preset: the foreign host differs per deployment)', async () => {
      const w = await scope.world(foreign());
      const error = await rejection(discover(w.url('mcp', '/mcp')));
      expect(error.code).toBe(ErrorCodes.ISSUER_MISMATCH);
    });

    it("the operator's pin (static configuration acceptedIssuers) accepts exactly that issuer, traced", async () => {
      const w = await scope.world(foreign());
      const result = await discover(w.url('mcp', '/mcp'), {
        allowPrivateNetwork: true,
        staticConfig: [
          { resource: w.url('mcp', '/mcp'), issuer: w.origin('as'), acceptedIssuers: [w.origin('clerk')] },
        ],
      });
      expect(result.authorizationServer).toMatchObject({ issuer: w.origin('clerk'), issuerCheck: 'alias' });
    });
  });
});
