import { describe, expect, it } from 'vitest';
import { issuerOfMetadataUrl } from './rules.js';

describe('issuerOfMetadataUrl', () => {
  it.each([
    ['https://as.example/.well-known/oauth-authorization-server', 'https://as.example'],
    ['https://as.example/.well-known/oauth-authorization-server/tenant1', 'https://as.example/tenant1'],
    ['https://as.example/.well-known/openid-configuration/tenant1', 'https://as.example/tenant1'],
    ['https://as.example/realms/demo/.well-known/openid-configuration', 'https://as.example/realms/demo'],
    ['https://as.example/.well-known/openid-configuration', 'https://as.example'],
  ])('%s was built from %s', (url, issuer) => {
    expect(issuerOfMetadataUrl(url)).toBe(issuer);
  });

  it('a URL of no well-known form (a pinned metadata URL) has no issuer', () => {
    expect(issuerOfMetadataUrl('https://as.example/metadata.json')).toBeUndefined();
  });
});
