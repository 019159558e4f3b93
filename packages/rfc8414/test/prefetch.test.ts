import type { DiscoveryState, IssuerCandidate, IssuerPolicy } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { rfc8414 } from '../src/index.js';

function state(
  issuers: readonly string[],
  extra: { prm?: boolean; policies?: readonly IssuerPolicy[] } = {},
): DiscoveryState {
  const candidates: IssuerCandidate[] = issuers.map((issuer) => ({ issuer, source: 'rfc9728' }));
  return {
    resource: 'https://mcp.example.com/v1/mcp',
    issuers: candidates,
    issuerPolicies: extra.policies ?? [],
    hints: {},
    ...(extra.prm
      ? {
          resourceMetadata: {
            url: 'https://mcp.example.com/.well-known/oauth-protected-resource/v1/mcp',
            document: { resource: 'https://mcp.example.com/v1/mcp' },
          },
        }
      : {}),
  };
}

describe('rfc8414 prefetch', () => {
  it('lists the path-inserted URL of every candidate, in order', () => {
    expect(rfc8414().prefetch?.(state(['https://as.example/tenant1', 'https://other.example']))).toEqual([
      'https://as.example/.well-known/oauth-authorization-server/tenant1',
      'https://other.example/.well-known/oauth-authorization-server',
    ]);
  });

  it('adds the legacy origin URL only with no PRM and no candidate', () => {
    expect(rfc8414().prefetch?.(state([]))).toEqual([
      'https://mcp.example.com/.well-known/oauth-authorization-server',
    ]);
    expect(rfc8414().prefetch?.(state([], { prm: true }))).toEqual([]);
    expect(rfc8414({ legacyOriginFallback: false }).prefetch?.(state([]))).toEqual([]);
  });

  it('leaves out candidates whose policy excludes oauth, and invalid issuers', () => {
    const policies: IssuerPolicy[] = [
      { match: { prefix: 'https://login.example/' }, metadataUrlKinds: ['oidc-append'], source: 'preset:x' },
    ];
    expect(
      rfc8414().prefetch?.(
        state(['https://login.example/t/v2.0', 'not a url', 'https://as.example'], { policies }),
      ),
    ).toEqual(['https://as.example/.well-known/oauth-authorization-server']);
  });

  it('declares what it contributes', () => {
    expect(rfc8414()).toMatchObject({ name: 'rfc8414', contributes: ['authorizationServer'] });
  });
});
