import { type DiscoveryState, ErrorCodes, type StrategyOutcome } from '@oauth-discovery/core';
import { createHttpClient } from '@oauth-discovery/core/http';
import { authorizationServerMetadataUrls } from '@oauth-discovery/core/metadata';
import { issuerPolicyFor, listPresetFacts } from '@oauth-discovery/core/preset';
import { findAuthorizationServer } from '@oauth-discovery/core/strategy-kit';
import {
  found,
  githubWorld,
  startWorld,
  stateWith,
  strategyContext,
  type World,
} from '@oauth-discovery/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { github, githubPreset } from '../src/index.js';

const http = createHttpClient({ allowPrivateNetwork: true });
afterAll(async () => {
  await http.close();
});
/** Every well-known form, as the rfc8414 + oidc strategies would try them without a policy. */
const allForms = { source: 'test', urlsFor: (issuer: string) => authorizationServerMetadataUrls(issuer) };

const contextFor = (state: DiscoveryState) => strategyContext(state, http);
const contributionOf = (outcome: StrategyOutcome) => found(outcome).contribution;

describe('github preset: matching (no network)', () => {
  const preset = github();

  it('is named preset:github and every fact is dated, sourced and cited', () => {
    expect(preset.name).toBe('preset:github');
    for (const fact of listPresetFacts(githubPreset)) {
      expect(fact.observed).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
      expect(fact.source.trim()).not.toBe('');
      expect(fact.usedBy.length, fact.id).toBeGreaterThan(0);
    }
  });

  it.each([
    'https://api.githubcopilot.com/mcp/',
    'https://api.githubcopilot.com/mcp',
    'https://api.githubcopilot.com/mcp/readonly',
  ])(
    '%s: candidate https://github.com/login/oauth, pre-registered client required, oauth URLs only',
    async (resource) => {
      const c = contributionOf(await preset.run(contextFor(stateWith(resource))));
      expect(c.issuers).toEqual([{ issuer: 'https://github.com/login/oauth', source: 'preset:github' }]);
      expect(c.hints?.requiresPreregisteredClient).toBe(true);
      const policy = issuerPolicyFor('https://github.com/login/oauth', c.issuerPolicies ?? []);
      expect(policy.metadataUrlKinds).toEqual(['oauth']);
      expect(policy.acceptedIssuers).toEqual([]);
      expect(policy.hints.requiresPreregisteredClient).toBe(true);
      expect(policy.hints.notes?.some((n) => n.includes('422') && n.includes('observed 2025-12-23'))).toBe(
        true,
      );
    },
  );

  it.each([
    'https://api.githubcopilot.com/mcpx',
    'https://api.githubcopilot.com/',
    'https://github.com/mcp/',
  ])('skips %s', async (resource) => {
    expect((await preset.run(contextFor(stateWith(resource)))).status).toBe('skipped');
  });
});

describe('github preset against a loopback replica', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function replica() {
    world = await startWorld(githubWorld().spec);
    const w = world;
    const preset = github({
      hosts: { 'https://api.githubcopilot.com': w.origin('mcp'), 'https://github.com': w.origin('as') },
    });
    const resource = w.url('mcp', '/mcp/');
    return {
      w,
      state: stateWith(resource, contributionOf(await preset.run(contextFor(stateWith(resource))))),
    };
  }

  it('finds the path issuer by insertion and tries no other form', async () => {
    const { w, state } = await replica();
    expect(state.issuers.map((c) => c.issuer)).toEqual([w.url('as', '/login/oauth')]);
    const as = contributionOf(await findAuthorizationServer(contextFor(state), allForms)).authorizationServer;
    expect(as?.issuer).toBe(w.url('as', '/login/oauth'));
    expect(as?.issuerCheck).toBe('exact');
    expect(as?.metadataUrl).toBe(w.url('as', '/.well-known/oauth-authorization-server/login/oauth'));
    expect(w.requests.map((r) => r.path)).toEqual(['/.well-known/oauth-authorization-server/login/oauth']);
  });

  it('without the preset the same search also tries the OIDC forms when insertion misses', async () => {
    world = await startWorld({ origins: { as: { routes: {} } } });
    const w = world;
    const state = stateWith(w.url('as', '/mcp/'), {
      issuers: [{ issuer: w.url('as', '/login/oauth'), source: 'rfc9728' }],
    });
    const outcome = await findAuthorizationServer(contextFor(state), allForms);
    expect(outcome.status).toBe('not-found');
    expect(w.requests).toHaveLength(3);
  });

  it('a metadata document naming another issuer is still an ISSUER_MISMATCH', async () => {
    world = await startWorld({
      origins: {
        mcp: { routes: {} },
        as: {
          routes: {
            '/.well-known/oauth-authorization-server/login/oauth': {
              json: (w) => ({ issuer: w.origin('as') }),
            },
          },
        },
      },
    });
    const w = world;
    const preset = github({
      hosts: { 'https://api.githubcopilot.com': w.origin('mcp'), 'https://github.com': w.origin('as') },
    });
    const resource = w.url('mcp', '/mcp/');
    const state = stateWith(resource, contributionOf(await preset.run(contextFor(stateWith(resource)))));
    await expect(findAuthorizationServer(contextFor(state), allForms)).rejects.toMatchObject({
      code: ErrorCodes.ISSUER_MISMATCH,
    });
  });
});
