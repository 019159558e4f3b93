import type { DiscoveryResult, IssuerCheck } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { checkCredentialBinding } from './binding.js';

const result = (issuerCheck: IssuerCheck, tokenEndpoint = 'https://as.example/token'): DiscoveryResult =>
  ({
    authorizationServer: {
      issuer: 'https://as.example',
      metadataUrl: 'https://as.example/.well-known/oauth-authorization-server',
      metadata: { issuer: 'https://as.example', token_endpoint: tokenEndpoint },
      issuerCheck,
      source: 'test',
    },
  }) as unknown as DiscoveryResult;

const grant = { clientId: 'bot' };

describe('checkCredentialBinding: a machine client’s credentials go to their issuer only', () => {
  it.each(['exact', 'alias', 'configured'] as const)(
    '%s issuer: bound to issuer and token endpoint',
    (check) => {
      expect(checkCredentialBinding(grant, result(check), undefined)).toEqual({
        issuer: 'https://as.example',
        tokenEndpoint: 'https://as.example/token',
      });
    },
  );

  it.each(['adopted', 'guessed'] as const)(
    '%s issuer: ISSUER_MISMATCH, even when configured by name',
    (check) => {
      for (const issuer of [undefined, 'https://as.example']) {
        expect(() => checkCredentialBinding({ ...grant, issuer }, result(check), undefined)).toThrow(
          expect.objectContaining({ code: 'ISSUER_MISMATCH' }),
        );
      }
    },
  );

  it('another configured issuer: ISSUER_MISMATCH', () => {
    expect(() =>
      checkCredentialBinding({ ...grant, issuer: 'https://other.example' }, result('exact'), undefined),
    ).toThrow(expect.objectContaining({ code: 'ISSUER_MISMATCH' }));
  });

  it('a later discovery naming another token endpoint in the same session: ISSUER_MISMATCH', () => {
    const pinned = checkCredentialBinding(grant, result('exact'), undefined);
    expect(checkCredentialBinding(grant, result('exact'), pinned)).toEqual(pinned);
    expect(() =>
      checkCredentialBinding(grant, result('exact', 'https://evil.example/token'), pinned),
    ).toThrow(expect.objectContaining({ code: 'ISSUER_MISMATCH' }));
  });
});
