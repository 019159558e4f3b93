import { describe, expect, it } from 'vitest';
import { issuerPolicyFor, issuerPolicyMatches } from './issuer-policy.js';
import type { IssuerPolicy } from './types.js';

const prefixPolicy = (prefix: string): IssuerPolicy => ({
  match: { prefix },
  acceptedIssuers: ['https://trusted.example'],
  source: 'preset:test',
});

describe('issuerPolicyMatches', () => {
  it('matches an exact issuer only exactly', () => {
    const policy: IssuerPolicy = { match: { exact: 'https://as.example/t' }, source: 's' };
    expect(issuerPolicyMatches(policy, 'https://as.example/t')).toBe(true);
    expect(issuerPolicyMatches(policy, 'https://as.example/t/')).toBe(false);
  });

  it('matches issuers under a prefix on the same origin, path prefixes included', () => {
    expect(
      issuerPolicyMatches(prefixPolicy('https://auth.example.com/'), 'https://auth.example.com/t1'),
    ).toBe(true);
    expect(issuerPolicyMatches(prefixPolicy('https://auth.example.com'), 'https://auth.example.com')).toBe(
      true,
    );
    expect(
      issuerPolicyMatches(prefixPolicy('https://as.example/tenant-'), 'https://as.example/tenant-a'),
    ).toBe(true);
  });

  it.each([
    'https://auth.example.com.evil.test/',
    'https://auth.example.com@evil.test/',
    'https://auth.example.com:8443/',
    'https://auth.example.comevil.test',
  ])('does not let a prefix without a path match another origin: %s', (issuer) => {
    expect(issuerPolicyMatches(prefixPolicy('https://auth.example.com'), issuer)).toBe(false);
    expect(issuerPolicyFor(issuer, [prefixPolicy('https://auth.example.com')]).acceptedIssuers).toEqual([]);
  });
});
