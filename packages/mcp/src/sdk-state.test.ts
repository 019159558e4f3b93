import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { fakeResult } from '../test/helpers.js';
import { resourceIndicator, toSdkDiscoveryState } from './sdk-state.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isDiscoveryError(error) ? error.code : `not a DiscoveryError: ${String(error)}`;
  }
  return undefined;
}

describe('SDK discovery state', () => {
  const base = { resource: 'https://r.example/v1/mcp', issuer: 'https://as.example' };

  it('passes the PRM through when there is one', () => {
    const state = toSdkDiscoveryState(
      fakeResult({
        ...base,
        prm: {
          url: 'https://r.example/.well-known/oauth-protected-resource/v1/mcp',
          resource: base.resource,
        },
      }),
    );
    expect(state.authorizationServerUrl).toBe(base.issuer);
    expect(state.resourceMetadataUrl).toBe('https://r.example/.well-known/oauth-protected-resource/v1/mcp');
    expect(state.resourceMetadata?.resource).toBe(base.resource);
    expect(state.authorizationServerMetadata?.token_endpoint).toBe('https://as.example/token');
  });

  it('synthesises a minimal PRM when there is none, so the SDK does not probe for one', () => {
    const state = toSdkDiscoveryState(
      fakeResult({ ...base, scopes: ['read'], metadata: { response_types_supported: undefined } }),
    );
    expect(state.resourceMetadata).toEqual({
      resource: base.resource,
      authorization_servers: [base.issuer],
      scopes_supported: ['read'],
    });
    expect(state.resourceMetadataUrl).toBeUndefined();
    expect(state.authorizationServerMetadata?.response_types_supported).toEqual(['code']);
  });

  it('rejects metadata without a token endpoint', () => {
    expect(
      codeOf(() => toSdkDiscoveryState(fakeResult({ ...base, metadata: { token_endpoint: undefined } }))),
    ).toBe(ErrorCodes.INVALID_METADATA);
  });

  it('chooses the resource indicator: PRM resource, else the resource, else none when hinted', () => {
    expect(
      resourceIndicator(fakeResult({ ...base, prm: { url: 'x', resource: 'https://r.example/v1/mcp/' } })),
    ).toBe('https://r.example/v1/mcp/');
    expect(resourceIndicator(fakeResult(base))).toBe(base.resource);
    // A bare origin without PRM: the canonical URI without the trailing slash (MCP 2026-07-28).
    expect(resourceIndicator(fakeResult({ ...base, resource: 'https://r.example/' }))).toBe(
      'https://r.example',
    );
    // What the PRM publishes is sent exactly, trailing slash or not (RFC 9728 §3.3).
    expect(
      resourceIndicator(
        fakeResult({
          ...base,
          resource: 'https://r.example/',
          prm: { url: 'x', resource: 'https://r.example/' },
        }),
      ),
    ).toBe('https://r.example/');
    expect(
      resourceIndicator(fakeResult({ ...base, hints: { omitResourceParameter: true } })),
    ).toBeUndefined();
  });
});
