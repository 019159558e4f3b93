import {
  type Contribution,
  type DiscoveryError,
  type DiscoveryState,
  ErrorCodes,
} from '@oauth-discovery/core';
import { createHttpClient } from '@oauth-discovery/core/http';
import { authorizationServerMetadataUrls } from '@oauth-discovery/core/metadata';
import { issuerPolicyFor, listPresetFacts } from '@oauth-discovery/core/preset';
import { findAuthorizationServer } from '@oauth-discovery/core/strategy-kit';
import {
  entraWorld,
  found,
  startWorld,
  stateWith,
  strategyContext,
  type World,
} from '@oauth-discovery/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { entraPreset, type MicrosoftEntraOptions, microsoftEntra } from '../src/index.js';

const http = createHttpClient({ allowPrivateNetwork: true });
afterAll(async () => {
  await http.close();
});
/** Every well-known form, as the rfc8414 + oidc strategies would try them without a policy. */
const allForms = { source: 'test', urlsFor: (issuer: string) => authorizationServerMetadataUrls(issuer) };
const TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

const contextFor = (state: DiscoveryState) => strategyContext(state, http);

describe('microsoft-entra preset (no network)', () => {
  it('contributes the Entra issuer policy for every resource', async () => {
    const preset = microsoftEntra();
    expect(preset.name).toBe('preset:microsoft-entra');
    const outcome = found(await preset.run(contextFor(stateWith('https://mcp.contoso.example/mcp'))));
    expect(outcome.contribution.issuers).toBeUndefined();
    expect(outcome.notes?.[0]).toContain('applies to Microsoft Entra ID issuers');
    const policy = issuerPolicyFor(
      `https://login.microsoftonline.com/${TENANT}/v2.0`,
      outcome.contribution.issuerPolicies ?? [],
    );
    expect(policy.sources).toEqual(['preset:microsoft-entra']);
    expect(policy.metadataUrlKinds).toEqual(['oidc-append']);
    expect(policy.hints).toMatchObject({
      pkceS256KnownSupported: true,
      omitResourceParameter: true,
      requiresPreregisteredClient: true,
    });
    expect(
      policy.hints.notes?.some((n) => n.includes('AADSTS9010010') && n.includes('observed 2026-04-24')),
    ).toBe(true);
    expect(
      issuerPolicyFor('https://accounts.google.com', outcome.contribution.issuerPolicies ?? []).sources,
    ).toEqual([]);
  });

  it('every fact is dated, sourced and cited', () => {
    for (const fact of listPresetFacts(entraPreset)) {
      expect(fact.observed).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
      expect(fact.source.trim()).not.toBe('');
      expect(fact.usedBy.length, fact.id).toBeGreaterThan(0);
    }
  });

  it('with a tenant, contributes the tenant issuer for the named resources only', async () => {
    const preset = microsoftEntra({ tenant: TENANT, resources: ['https://mcp.contoso.example/mcp'] });
    const named = found(await preset.run(contextFor(stateWith('https://mcp.contoso.example/mcp'))));
    expect(named.contribution.issuers).toEqual([
      { issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`, source: 'preset:microsoft-entra' },
    ]);
    expect(named.contribution.issuerPolicies).toHaveLength(1);
    const other = found(await preset.run(contextFor(stateWith('https://mcp.contoso.example/other'))));
    expect(other.contribution.issuers).toBeUndefined();
    expect(other.contribution.issuerPolicies).toHaveLength(1);
  });

  it.each<[string, MicrosoftEntraOptions, RegExp]>([
    ['resources without tenant', { resources: ['https://x.example/mcp'] }, /resources: requires tenant/],
    ['tenant without resources', { tenant: TENANT }, /resources: expected at least one resource URL/],
    ['empty resources', { tenant: TENANT, resources: [] }, /resources: expected at least one resource URL/],
    [
      'a tenant with a slash',
      { tenant: 'a/b', resources: ['https://x.example/mcp'] },
      /tenant: expected a tenant id/,
    ],
    [
      'the common alias',
      { tenant: 'common', resources: ['https://x.example/mcp'] },
      /tenant: "common" is a multi-tenant alias/,
    ],
    [
      'a relative resource',
      { tenant: TENANT, resources: ['https://x.example/mcp', '/mcp'] },
      /resources\[1\]: expected an absolute/,
    ],
    [
      'an unknown host override',
      { hosts: { 'https://github.com': 'http://127.0.0.1:1' } },
      /hosts\["https:\/\/github.com"\]/,
    ],
  ])('rejects %s with INVALID_CONFIG naming the option', (_label, options, message) => {
    let error: DiscoveryError | undefined;
    try {
      microsoftEntra(options);
    } catch (caught) {
      error = caught as DiscoveryError;
    }
    expect(error?.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error?.message).toMatch(message);
  });
});

describe('microsoft-entra preset against a loopback replica', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('a PRM-named Entra issuer is looked up by appending only', async () => {
    world = await startWorld(entraWorld({ tenant: TENANT }).spec);
    const w = world;
    const resource = w.url('mcp', '/mcp');
    const preset = microsoftEntra({ hosts: { 'https://login.microsoftonline.com': w.origin('as') } });
    const fromPreset = found(await preset.run(contextFor(stateWith(resource)))).contribution;
    const fromPrm: Contribution = {
      issuers: [{ issuer: w.url('as', `/${TENANT}/v2.0`), source: 'rfc9728' }],
    };
    const outcome = found(
      await findAuthorizationServer(contextFor(stateWith(resource, fromPreset, fromPrm)), allForms),
    );
    expect(outcome.contribution.authorizationServer?.issuerCheck).toBe('exact');
    expect(
      outcome.contribution.authorizationServer?.metadata.code_challenge_methods_supported,
    ).toBeUndefined();
    expect(w.requests.map((r) => r.path)).toEqual([`/${TENANT}/v2.0/.well-known/openid-configuration`]);
  });

  it('with a tenant and resources, finds the issuer without any PRM', async () => {
    world = await startWorld(entraWorld({ tenant: TENANT }).spec);
    const w = world;
    const resource = w.url('mcp', '/mcp');
    const preset = microsoftEntra({
      tenant: TENANT,
      resources: [resource],
      hosts: { 'https://login.microsoftonline.com': w.origin('as') },
    });
    const fromPreset = found(await preset.run(contextFor(stateWith(resource)))).contribution;
    const outcome = found(
      await findAuthorizationServer(contextFor(stateWith(resource, fromPreset)), allForms),
    );
    expect(outcome.contribution.authorizationServer?.issuer).toBe(w.url('as', `/${TENANT}/v2.0`));
    expect(w.requestsTo('mcp')).toEqual([]);
  });

  it('without the preset the same search also tries the RFC 8414 and inserted OIDC URLs', async () => {
    world = await startWorld(entraWorld({ tenant: TENANT }).spec);
    const w = world;
    const state = stateWith(w.url('mcp', '/mcp'), {
      issuers: [{ issuer: w.url('as', `/${TENANT}/v2.0`), source: 'rfc9728' }],
    });
    found(await findAuthorizationServer(contextFor(state), allForms));
    expect(w.requests).toHaveLength(3);
  });
});
