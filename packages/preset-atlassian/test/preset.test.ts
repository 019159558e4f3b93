import {
  type Contribution,
  type DiscoveryState,
  ErrorCodes,
  type StrategyOutcome,
} from '@oauth-discovery/core';
import { createHttpClient } from '@oauth-discovery/core/http';
import { oauthMetadataUrl } from '@oauth-discovery/core/metadata';
import { listPresetFacts } from '@oauth-discovery/core/preset';
import { findAuthorizationServer } from '@oauth-discovery/core/strategy-kit';
import {
  atlassianAuthV2World,
  atlassianV1World,
  authorizationServerMetadata,
  found,
  startWorld,
  stateWith,
  strategyContext,
  type World,
} from '@oauth-discovery/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { atlassian, atlassianPreset } from '../src/index.js';

const http = createHttpClient({ allowPrivateNetwork: true });
afterAll(async () => {
  await http.close();
});
const rfc8414Search = {
  source: 'rfc8414',
  urlsFor: (issuer: string) => [{ url: oauthMetadataUrl(issuer), kind: 'oauth' as const }],
};

const contextFor = (state: DiscoveryState) => strategyContext(state, http);
const contributionOf = (outcome: StrategyOutcome) => found(outcome).contribution;

describe('atlassian preset: matching (no network)', () => {
  const preset = atlassian();

  it('is named preset:atlassian and cites dated facts', () => {
    expect(preset.name).toBe('preset:atlassian');
    const facts = listPresetFacts(atlassianPreset);
    expect(facts.length).toBeGreaterThan(0);
    for (const fact of facts) {
      expect(fact.observed).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
      expect(fact.source).not.toBe('');
      expect(fact.usedBy.length, `fact ${fact.id} is cited`).toBeGreaterThan(0);
    }
  });

  it.each(['https://mcp.atlassian.com/v1/mcp', 'https://mcp.atlassian.com/v1/sse'])(
    'v1 %s: candidate https://mcp.atlassian.com accepting exactly the observed issuers',
    async (resource) => {
      const c = contributionOf(await preset.run(contextFor(stateWith(resource))));
      expect(c.issuers).toEqual([
        {
          issuer: 'https://mcp.atlassian.com',
          source: 'preset:atlassian',
          acceptedIssuers: ['https://cf.mcp.atlassian.com', 'https://mcp.atlassian.com'],
        },
      ]);
      // The dated alias travels as an exact policy, so the trace cites its fact when it is used.
      expect(c.issuerPolicies).toEqual([
        expect.objectContaining({
          match: { exact: 'https://mcp.atlassian.com' },
          acceptedIssuerNotes: {
            'https://cf.mcp.atlassian.com': expect.stringContaining('observed 2026-07-27'),
          },
        }),
      ]);
      const cited = c.hints?.notes?.find((n) => n.includes('names issuer https://cf.mcp.atlassian.com'));
      expect(cited).toMatch(
        /^preset:atlassian: .*\(observed 2026-07-27; https:\/\/github\.com\/atlassian\/.*\/148\)$/,
      );
    },
  );

  it.each(['https://mcp.atlassian.com/v1/mcp/authv2', 'https://mcp.atlassian.com/v2/mcp'])(
    'authv2/v2 %s: a policy for the tenant issuers, no candidate (the PRM names the tenant)',
    async (resource) => {
      const outcome = await preset.run(contextFor(stateWith(resource)));
      const c = contributionOf(outcome);
      expect(c.issuers).toBeUndefined();
      expect(c.issuerPolicies).toHaveLength(1);
      expect(c.issuerPolicies?.[0]).toMatchObject({
        match: { prefix: 'https://auth.atlassian.com/' },
        acceptedIssuers: ['https://auth.atlassian.com'],
        source: 'preset:atlassian',
      });
      const notes = outcome.status === 'found' ? (outcome.notes ?? []) : [];
      expect(
        notes.some((n) => n.includes('no registration_endpoint') && n.includes('observed 2026-07-27')),
      ).toBe(true);
    },
  );

  it.each([
    'https://mcp.atlassian.com/v1/other',
    'https://mcp.atlassian.com/v1/mcp/x',
    'https://cf.mcp.atlassian.com/v1/mcp',
    'https://mcp.example.com/v1/mcp',
  ])('skips %s', async (resource) => {
    const outcome = await preset.run(contextFor(stateWith(resource)));
    expect(outcome.status).toBe('skipped');
    expect(outcome.status === 'skipped' && outcome.reason).toContain(
      `resource ${resource} is none of the Atlassian endpoints`,
    );
  });
});

describe('atlassian preset against a loopback replica', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function v1Replica(spec = atlassianV1World().spec) {
    world = await startWorld(spec);
    const w = world;
    const preset = atlassian({
      hosts: { 'https://mcp.atlassian.com': w.origin('mcp'), 'https://cf.mcp.atlassian.com': w.origin('cf') },
    });
    const resource = w.url('mcp', '/v1/mcp');
    const state = stateWith(resource, contributionOf(await preset.run(contextFor(stateWith(resource)))));
    return { w, state };
  }

  it('v1 (foreign issuer, as reported): the cf issuer is accepted as an alias pinned by the preset', async () => {
    const { w, state } = await v1Replica();
    const outcome = await findAuthorizationServer(contextFor(state), rfc8414Search);
    const as = contributionOf(outcome).authorizationServer;
    expect(as?.issuer).toBe(w.origin('cf'));
    expect(as?.issuerCheck).toBe('alias');
    expect(as?.metadataUrl).toBe(w.url('mcp', '/.well-known/oauth-authorization-server'));
    expect(w.requests.map((r) => r.path)).toEqual(['/.well-known/oauth-authorization-server']);
  });

  it('v1 (2026-10-01 probe, same-origin issuer): accepted exactly', async () => {
    const { w, state } = await v1Replica(atlassianV1World({ sameOriginIssuer: true }).spec);
    const as = contributionOf(
      await findAuthorizationServer(contextFor(state), rfc8414Search),
    ).authorizationServer;
    expect(as?.issuer).toBe(w.origin('mcp'));
    expect(as?.issuerCheck).toBe('exact');
  });

  it('v1 with an unknown third issuer: ISSUER_MISMATCH, the preset accepts nothing else', async () => {
    const { state } = await v1Replica({
      origins: {
        mcp: {
          routes: {
            '/.well-known/oauth-authorization-server': {
              json: (w) =>
                authorizationServerMetadata({
                  issuer: w.origin('other'),
                  endpointBase: w.url('other', '/v1'),
                }),
            },
          },
        },
        cf: { routes: {} },
        other: { routes: {} },
      },
    });
    await expect(findAuthorizationServer(contextFor(state), rfc8414Search)).rejects.toMatchObject({
      code: ErrorCodes.ISSUER_MISMATCH,
    });
  });

  it('v1 without the preset: the foreign issuer is an ISSUER_MISMATCH', async () => {
    world = await startWorld(atlassianV1World().spec);
    const state = stateWith(world.url('mcp', '/v1/mcp'), {
      issuers: [{ issuer: world.origin('mcp'), source: 'static-config' }],
    });
    await expect(findAuthorizationServer(contextFor(state), rfc8414Search)).rejects.toMatchObject({
      code: ErrorCodes.ISSUER_MISMATCH,
    });
  });

  async function authV2Replica(issuerDropsPath: boolean) {
    world = await startWorld(atlassianAuthV2World({ tenantId: 'tenant-1', issuerDropsPath }).spec);
    const w = world;
    const preset = atlassian({
      hosts: { 'https://mcp.atlassian.com': w.origin('mcp'), 'https://auth.atlassian.com': w.origin('auth') },
    });
    const resource = w.url('mcp', '/v1/mcp/authv2');
    const fromPreset = contributionOf(await preset.run(contextFor(stateWith(resource))));
    // The tenant issuer is learned later, from the PRM; the preset's policy still applies to it.
    const fromPrm: Contribution = { issuers: [{ issuer: w.url('auth', '/tenant-1'), source: 'rfc9728' }] };
    return { w, state: stateWith(resource, fromPreset, fromPrm) };
  }

  it('authv2 (July 2026, tenant path dropped): the origin issuer is accepted by the policy', async () => {
    const { w, state } = await authV2Replica(true);
    const ctx = contextFor(state);
    const as = contributionOf(await findAuthorizationServer(ctx, rfc8414Search)).authorizationServer;
    expect(as?.issuer).toBe(w.origin('auth'));
    expect(as?.issuerCheck).toBe('alias');
    expect(as?.metadataUrl).toBe(w.url('auth', '/.well-known/oauth-authorization-server/tenant-1'));
  });

  it('authv2 (October 2026, tenant path kept): exact', async () => {
    const { w, state } = await authV2Replica(false);
    const as = contributionOf(
      await findAuthorizationServer(contextFor(state), rfc8414Search),
    ).authorizationServer;
    expect(as?.issuer).toBe(w.url('auth', '/tenant-1'));
    expect(as?.issuerCheck).toBe('exact');
  });

  it('authv2 without the preset: the dropped path is an ISSUER_MISMATCH', async () => {
    const { w } = await authV2Replica(true);
    const state = stateWith(w.url('mcp', '/v1/mcp/authv2'), {
      issuers: [{ issuer: w.url('auth', '/tenant-1'), source: 'rfc9728' }],
    });
    await expect(findAuthorizationServer(contextFor(state), rfc8414Search)).rejects.toMatchObject({
      code: ErrorCodes.ISSUER_MISMATCH,
    });
  });
});
