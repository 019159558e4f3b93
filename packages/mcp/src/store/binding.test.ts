import type { AuthorizationServerFound, IssuerCheck } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { bindingScope, issuerBinding, isVerifiedIssuer } from './binding.js';

const found = (issuerCheck: IssuerCheck, metadataUrl: string | null): AuthorizationServerFound => ({
  issuer: 'https://legit.example',
  metadataUrl,
  metadata: { issuer: 'https://legit.example', token_endpoint: 'https://tokens.example/token' },
  issuerCheck,
  source: 'test',
});

describe('issuerBinding: the one rule for what stored credentials are bound to', () => {
  it.each([
    ['exact', 'https://legit.example/.well-known/oauth-authorization-server', undefined],
    ['alias', 'https://legit.example/.well-known/openid-configuration', undefined],
    ['configured', null, undefined],
    ['adopted', 'https://evil.example/.well-known/oauth-authorization-server', 'https://evil.example'],
    ['guessed', null, 'https://tokens.example'],
  ] as const)('%s: unverified origin %s', (check, metadataUrl, origin) => {
    const binding = issuerBinding(found(check, metadataUrl));
    expect(binding).toEqual({
      issuer: 'https://legit.example',
      tokenEndpoint: 'https://tokens.example/token',
      unverifiedOrigin: origin,
    });
    expect(isVerifiedIssuer(check)).toBe(origin === undefined);
    expect(bindingScope(binding) === 'https://legit.example').toBe(origin === undefined);
  });
});
