import { describe, expect, it } from 'vitest';
import { oauthMetadataUrl, oidcMetadataUrls } from '../metadata/well-known.js';
import type { DiscoveryState, IssuerPolicy } from '../types.js';
import {
  type AuthorizationServerSearch,
  authorizationServerPrefetch,
  candidateMetadataUrls,
  needsLegacyOriginFallback,
} from './authorization-server.js';

const oauth: AuthorizationServerSearch = {
  source: 'test-oauth',
  urlsFor: (issuer) => [{ url: oauthMetadataUrl(issuer), kind: 'oauth' }],
  legacyOriginUrl: (origin) => `${origin}/.well-known/oauth-authorization-server`,
};
const openid: AuthorizationServerSearch = {
  source: 'test-oidc',
  urlsFor: (issuer) => oidcMetadataUrls(issuer),
};

function state(issuers: readonly string[], policies: readonly IssuerPolicy[] = []): DiscoveryState {
  return {
    resource: 'https://mcp.example.com/v1/mcp',
    issuers: issuers.map((issuer) => ({ issuer, source: 'rfc9728' })),
    issuerPolicies: policies,
    hints: {},
  };
}

describe('candidateMetadataUrls', () => {
  it('keeps candidate order, then each candidate’s URL order, with the effective policy attached', () => {
    const plan = candidateMetadataUrls(
      state(
        ['https://b.example/t', 'https://a.example'],
        [
          {
            match: { exact: 'https://a.example' },
            acceptedIssuers: ['https://alias.example'],
            source: 'preset:a',
          },
        ],
      ),
      openid,
    );
    expect(plan.skipped).toEqual([]);
    expect(plan.urls.map((u) => [u.candidate.issuer, u.kind, u.url])).toEqual([
      ['https://b.example/t', 'oidc-insert', 'https://b.example/.well-known/openid-configuration/t'],
      ['https://b.example/t', 'oidc-append', 'https://b.example/t/.well-known/openid-configuration'],
      ['https://a.example', 'oidc-append', 'https://a.example/.well-known/openid-configuration'],
    ]);
    expect(plan.urls[2]?.policy.acceptedIssuers).toEqual(['https://alias.example']);
  });

  it('explains each candidate it skips: excluded URL forms, invalid issuers', () => {
    const plan = candidateMetadataUrls(
      state(
        ['https://login.example/t/v2.0', 'ftp://as.example', 'https://ok.example'],
        [
          {
            match: { prefix: 'https://login.example/' },
            metadataUrlKinds: ['oidc-append'],
            source: 'preset:entra',
          },
        ],
      ),
      oauth,
    );
    expect(plan.urls.map((u) => u.url)).toEqual([
      'https://ok.example/.well-known/oauth-authorization-server',
    ]);
    expect(plan.skipped).toHaveLength(2);
    expect(plan.skipped[0]).toBe(
      'candidate https://login.example/t/v2.0 (from rfc9728) skipped: preset:entra allows only oidc-append metadata URLs',
    );
    expect(plan.skipped[1]).toContain('candidate ftp://as.example (from rfc9728) skipped:');
  });
});

describe('authorizationServerPrefetch', () => {
  it('adds the legacy origin URL only with no PRM and no candidate, and only when the search has one', () => {
    expect(needsLegacyOriginFallback(state([]))).toBe(true);
    expect(authorizationServerPrefetch(state([]), oauth)).toEqual([
      'https://mcp.example.com/.well-known/oauth-authorization-server',
    ]);
    expect(authorizationServerPrefetch(state([]), openid)).toEqual([]);
    expect(needsLegacyOriginFallback(state(['https://as.example']))).toBe(false);
  });

  it('has no legacy origin fallback (nor prefetch) when the challenge announces protected resource metadata', () => {
    const announced = {
      ...state([]),
      wwwAuthenticate: 'Bearer resource_metadata="https://mcp.example.com/prm"',
    };
    expect(needsLegacyOriginFallback(announced)).toBe(false);
    expect(authorizationServerPrefetch(announced, oauth)).toEqual([]);
  });

  it('lists a URL once when two candidates share it', () => {
    expect(authorizationServerPrefetch(state(['https://as.example', 'https://as.example/']), oauth)).toEqual([
      'https://as.example/.well-known/oauth-authorization-server',
    ]);
  });
});
