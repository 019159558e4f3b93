import { describe, expect, it } from 'vitest';
import { scopeUnion, withoutUnlistedOfflineAccess } from './scope.js';

describe('withoutUnlistedOfflineAccess (SEP-2207)', () => {
  it('keeps offline_access only when the authorization server lists it', () => {
    expect(withoutUnlistedOfflineAccess('read offline_access', ['read', 'offline_access'])).toBe(
      'read offline_access',
    );
    expect(withoutUnlistedOfflineAccess('read offline_access', ['read'])).toBe('read');
    expect(withoutUnlistedOfflineAccess('read offline_access', undefined)).toBe('read');
    expect(withoutUnlistedOfflineAccess('offline_access', [])).toBeUndefined();
    expect(withoutUnlistedOfflineAccess(undefined, ['offline_access'])).toBeUndefined();
  });
});

describe('scopeUnion (step-up)', () => {
  it('joins the scopes asked before, the granted ones and the challenge, once each', () => {
    expect(scopeUnion('read', 'read write', 'admin')).toBe('read write admin');
    expect(scopeUnion(undefined, '', undefined)).toBeUndefined();
  });
});
