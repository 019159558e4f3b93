import type { DiscoveryState, IssuerPolicy } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { oidc } from '../src/index.js';

function state(
  issuers: readonly string[],
  policies: readonly IssuerPolicy[] = [],
  prm = false,
): DiscoveryState {
  return {
    resource: 'https://mcp.example.com/v1/mcp',
    issuers: issuers.map((issuer) => ({ issuer, source: 'rfc9728' })),
    issuerPolicies: policies,
    hints: {},
    ...(prm
      ? {
          resourceMetadata: {
            url: 'https://mcp.example.com/prm',
            document: { resource: 'https://mcp.example.com/v1/mcp' },
          },
        }
      : {}),
  };
}

describe('oidc prefetch', () => {
  it('lists insertion then appending for path issuers, the root for origin-only issuers, in candidate order', () => {
    expect(oidc().prefetch?.(state(['https://as.example/realms/demo', 'https://accounts.example/']))).toEqual(
      [
        'https://as.example/.well-known/openid-configuration/realms/demo',
        'https://as.example/realms/demo/.well-known/openid-configuration',
        'https://accounts.example/.well-known/openid-configuration',
      ],
    );
  });

  it('honours metadataUrlKinds', () => {
    const policies: IssuerPolicy[] = [
      { match: { prefix: 'https://login.example/' }, metadataUrlKinds: ['oidc-append'], source: 'preset:x' },
      { match: { exact: 'https://oauth-only.example' }, metadataUrlKinds: ['oauth'], source: 'preset:y' },
    ];
    expect(
      oidc().prefetch?.(state(['https://login.example/t/v2.0', 'https://oauth-only.example'], policies)),
    ).toEqual(['https://login.example/t/v2.0/.well-known/openid-configuration']);
  });

  it('keeps an origin-only issuer when its policy names either OIDC form', () => {
    const policies: IssuerPolicy[] = [
      { match: { exact: 'https://accounts.example' }, metadataUrlKinds: ['oidc-insert'], source: 'preset:z' },
    ];
    expect(oidc().prefetch?.(state(['https://accounts.example'], policies))).toEqual([
      'https://accounts.example/.well-known/openid-configuration',
    ]);
  });

  it('adds the legacy origin URL only with no PRM and no candidate', () => {
    expect(oidc().prefetch?.(state([]))).toEqual([
      'https://mcp.example.com/.well-known/openid-configuration',
    ]);
    expect(oidc().prefetch?.(state([], [], true))).toEqual([]);
    expect(oidc({ legacyOriginFallback: false }).prefetch?.(state([]))).toEqual([]);
  });

  it('declares what it contributes', () => {
    expect(oidc()).toMatchObject({ name: 'oidc', contributes: ['authorizationServer'] });
  });
});
