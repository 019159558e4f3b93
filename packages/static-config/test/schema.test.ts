import { type DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { staticConfig, validateStaticConfig } from '../src/index.js';

const ok = { resource: 'https://mcp.example.com/mcp', issuer: 'https://auth.example.com' };
const metadata = {
  issuer: 'https://auth.example.com',
  authorization_endpoint: 'https://auth.example.com/authorize',
  token_endpoint: 'https://auth.example.com/token',
};

function configError(input: unknown): DiscoveryError {
  try {
    validateStaticConfig(input);
  } catch (error) {
    expect((error as DiscoveryError).code).toBe(ErrorCodes.INVALID_CONFIG);
    return error as DiscoveryError;
  }
  throw new Error('expected INVALID_CONFIG, nothing was thrown');
}

describe('validateStaticConfig', () => {
  it('accepts each way of pinning, and a bare list of entries', () => {
    const config = validateStaticConfig({
      resources: [
        ok,
        {
          resource: { prefix: 'https://mcp.example.com/team/' },
          metadataUrl: 'https://auth.example.com/.well-known/oauth-authorization-server',
        },
        {
          resource: { pattern: 'https://*.example.com/**' },
          metadataUrl: 'https://a.example.com/m',
          issuer: 'https://a.example.com',
        },
        {
          resource: 'http://127.0.0.1:8080/mcp',
          metadata: { ...metadata, token_endpoint: 'http://127.0.0.1:9000/token' },
        },
        {
          ...ok,
          scopes: ['read'],
          hints: { requiresPreregisteredClient: true, clientId: 'abc' },
          preset: 'github',
        },
      ],
    });
    expect(config.resources).toHaveLength(5);
    expect(validateStaticConfig([ok]).resources).toEqual([ok]);
    expect(staticConfig([ok]).name).toBe('static-config');
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', 'nope', /Invalid static config: .*expected an object with a resources array/],
    ['resources missing', {}, /resources: /],
    ['unknown top-level key', { resources: [], extra: 1 }, /extra: unknown key/],
    [
      'http issuer on a public host',
      { resources: [{ ...ok, issuer: 'http://auth.example.com' }] },
      /resources\[0\]\.issuer: expected an absolute https URL/,
    ],
    [
      'relative issuer',
      { resources: [{ ...ok, issuer: '/auth' }] },
      /resources\[0\]\.issuer: expected an absolute https URL/,
    ],
    [
      'issuer with a query',
      { resources: [{ ...ok, issuer: 'https://auth.example.com/?x=1' }] },
      /resources\[0\]\.issuer: expected an issuer without query/,
    ],
    [
      'http metadataUrl',
      { resources: [{ resource: ok.resource, metadataUrl: 'http://auth.example.com/m' }] },
      /resources\[0\]\.metadataUrl: expected an absolute https URL/,
    ],
    [
      'no way of pinning',
      { resources: [{ resource: ok.resource }] },
      /resources\[0\]: expected one of issuer, metadataUrl or metadata/,
    ],
    [
      'metadata with issuer',
      { resources: [{ ...ok, metadata }] },
      /resources\[0\]\.metadata: cannot be combined with issuer or metadataUrl/,
    ],
    [
      'metadata without issuer',
      { resources: [{ resource: ok.resource, metadata: { token_endpoint: 'https://a/t' } }] },
      /resources\[0\]\.metadata\.issuer: /,
    ],
    [
      'metadata with an http endpoint',
      {
        resources: [
          {
            resource: ok.resource,
            metadata: { ...metadata, token_endpoint: 'http://auth.example.com/token' },
          },
        ],
      },
      /resources\[0\]\.metadata\.token_endpoint: expected an absolute https URL/,
    ],
    [
      'acceptedIssuers with metadata',
      { resources: [{ resource: ok.resource, metadata, acceptedIssuers: ['https://x.example.com'] }] },
      /resources\[0\]\.acceptedIssuers: only with issuer or metadataUrl/,
    ],
    [
      'bad accepted issuer',
      { resources: [{ ...ok, acceptedIssuers: ['nope'] }] },
      /resources\[0\]\.acceptedIssuers\[0\]: expected an absolute https URL/,
    ],
    [
      'misspelt key',
      { resources: [{ resource: ok.resource, isuer: 'https://auth.example.com', issuer: ok.issuer }] },
      /resources\[0\]\.isuer: unknown key/,
    ],
    [
      'relative resource',
      { resources: [{ ...ok, resource: '/mcp' }] },
      /resources\[0\]\.resource: expected an absolute http\(s\) URL/,
    ],
    [
      'relative prefix',
      { resources: [{ ...ok, resource: { prefix: 'mcp.example.com' } }] },
      /resources\[0\]\.resource\.prefix: expected an absolute http\(s\) URL/,
    ],
    [
      'pattern without scheme',
      { resources: [{ ...ok, resource: { pattern: '*.example.com/mcp' } }] },
      /resources\[0\]\.resource\.pattern: expected a URL pattern starting with https:\/\/ or http:\/\//,
    ],
    [
      'pattern with ** in the host',
      { resources: [{ ...ok, resource: { pattern: 'https://**example.com/mcp' } }] },
      /resources\[0\]\.resource\.pattern: \*\* is not allowed in the host part/,
    ],
    [
      'unknown hint',
      { resources: [{ ...ok, hints: { pkce: true } }] },
      /resources\[0\]\.hints\.pkce: unknown key/,
    ],
    [
      'hint of the wrong type',
      { resources: [{ ...ok, hints: { omitResourceParameter: 'yes' } }] },
      /resources\[0\]\.hints\.omitResourceParameter: /,
    ],
    ['scopes not a list', { resources: [{ ...ok, scopes: 'read write' }] }, /resources\[0\]\.scopes: /],
    [
      'scopes and defaultScopes',
      { resources: [{ ...ok, scopes: ['a'], hints: { defaultScopes: ['b'] } }] },
      /resources\[0\]\.hints\.defaultScopes: set scopes or hints\.defaultScopes, not both/,
    ],
    [
      'bad preset name',
      { resources: [{ ...ok, preset: 'Git Hub' }] },
      /resources\[0\]\.preset: expected a preset name/,
    ],
    [
      'a bad third entry of a bare list',
      [ok, ok, { ...ok, issuer: 'ftp://x' }],
      /resources\[2\]\.issuer: expected an absolute https URL/,
    ],
  ])('rejects %s with INVALID_CONFIG naming the key', (_label, input, message) => {
    expect(configError(input).message).toMatch(message);
  });

  it('staticConfig() validates at creation', () => {
    expect(() => staticConfig([{ resource: ok.resource }])).toThrow(/resources\[0\]: expected one of/);
  });
});
