import type { DiscoveryState } from '@oauth-discovery/core';
import { initialState } from '@oauth-discovery/core/strategy-kit';
import { describe, expect, it } from 'vitest';
import { resourceMetadataUrls, rfc9728 } from '../src/index.js';

function state(resource: string, resourceMetadata?: string): DiscoveryState {
  return {
    ...initialState(resource, undefined, undefined),
    ...(resourceMetadata === undefined
      ? {}
      : {
          challenge: { scheme: 'Bearer', resourceMetadata, params: { resource_metadata: resourceMetadata } },
        }),
  };
}

describe('resourceMetadataUrls / prefetch', () => {
  it('lists path-aware then root for a resource with a path', () => {
    expect(resourceMetadataUrls(state('https://mcp.example.com/v1/mcp'))).toEqual([
      { url: 'https://mcp.example.com/.well-known/oauth-protected-resource/v1/mcp', label: 'path-aware' },
      { url: 'https://mcp.example.com/.well-known/oauth-protected-resource', label: 'root' },
    ]);
  });

  it('lists only the root for an origin-only resource', () => {
    expect(resourceMetadataUrls(state('https://mcp.example.com/'))).toEqual([
      { url: 'https://mcp.example.com/.well-known/oauth-protected-resource', label: 'root' },
    ]);
  });

  it('puts the header URL first, and lists a URL once', () => {
    const header = 'https://mcp.example.com/.well-known/oauth-protected-resource/v1/mcp';
    expect(resourceMetadataUrls(state('https://mcp.example.com/v1/mcp', header))).toEqual([
      { url: header, label: 'resource_metadata' },
      { url: 'https://mcp.example.com/.well-known/oauth-protected-resource', label: 'root' },
    ]);
  });

  it('fetches only the announced URL ahead; the well-known URLs stay a fallback of run()', () => {
    expect(
      rfc9728().prefetch?.(state('https://mcp.example.com/v1/mcp', 'https://prm.example.net/m.json')),
    ).toEqual(['https://prm.example.net/m.json']);
    // Announced in the raw header the caller passed, not parsed yet: nothing ahead until it is.
    const raw = {
      ...state('https://mcp.example.com/v1/mcp'),
      wwwAuthenticate: 'Bearer resource_metadata="x"',
    };
    expect(rfc9728().prefetch?.(raw)).toEqual([]);
  });

  it('keeps the trailing slash of the resource in the path-aware URL', () => {
    expect(rfc9728().prefetch?.(state('https://api.githubcopilot.com/mcp/'))).toEqual([
      'https://api.githubcopilot.com/.well-known/oauth-protected-resource/mcp/',
      'https://api.githubcopilot.com/.well-known/oauth-protected-resource',
    ]);
  });

  it('leaves out a header value that is not an absolute URL', () => {
    expect(
      resourceMetadataUrls(state('https://mcp.example.com/', '/relative/prm')).map((u) => u.label),
    ).toEqual(['root']);
  });

  it('declares what it contributes', () => {
    const strategy = rfc9728();
    expect(strategy.name).toBe('rfc9728');
    expect(strategy.contributes).toEqual(['resourceMetadata', 'issuers']);
  });
});
