import { createHttpClient, type DiscoveryResult } from '@oauth-discovery/core';
import {
  type HostileAuthorizationServerHandle,
  startHostileAuthorizationServer,
} from '@oauth-discovery/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { login } from '../src/connect.js';
import { engineConfiguration } from '../src/engine/configuration.js';
import { MAX_TOKEN_LIFETIME_SECONDS, MIN_REFRESH_DELAY_MS, refreshDueAt } from '../src/engine/lifetime.js';
import { grantRequest } from '../src/engine/token-request.js';
import { isFresh } from '../src/session.js';
import { createMemoryStore } from '../src/store/memory-store.js';
import { fakeResult } from './helpers.js';

// Findings 14 and 5 of the security review: `expires_in: 1e13` crashed `login` after the tokens were
// stored (`RangeError: Invalid time value`); `expires_in` 30 or 0 under a 60 s skew refreshed forever.

const http = createHttpClient({ allowAddressRanges: ['loopback'] });
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
afterAll(() => http.close());

async function hostile(expiresIn: unknown): Promise<HostileAuthorizationServerHandle> {
  const as = await startHostileAuthorizationServer({ tokenResponse: { expires_in: expiresIn } });
  closers.push(() => as.close());
  return as;
}

const NOW = 1_750_000_000_000;

describe('expires_in is clamped', () => {
  it.each([
    [1e13, NOW + MAX_TOKEN_LIFETIME_SECONDS * 1000],
    [1e308, NOW + MAX_TOKEN_LIFETIME_SECONDS * 1000],
    [-5, NOW],
    [0, NOW],
    ['3600', NOW + 3_600_000],
    ['NaN', undefined],
    ['soon', undefined],
    [null, undefined],
  ])('expires_in %j → expiresAt %s', async (expiresIn, expected) => {
    const as = await hostile(expiresIn);
    const result = fakeResult({
      resource: as.resourceUrl,
      issuer: as.origin,
      metadata: { token_endpoint: `${as.origin}/token` },
    }) satisfies DiscoveryResult;
    const configuration = engineConfiguration(result, { clientId: 'x' }, { http });
    const tokens = await grantRequest(
      configuration,
      result,
      'authorization_code',
      { code: 'c' },
      { now: NOW },
    );
    expect(tokens.expiresAt).toBe(expected);
    if (tokens.expiresAt !== undefined)
      expect(() => new Date(tokens.expiresAt ?? 0).toISOString()).not.toThrow();
  });

  it('a headless login whose token says expires_in 1e13 completes with a valid expiry date', async () => {
    const as = await hostile(1e13);
    const { tokens } = await login({ serverUrl: as.resourceUrl, headless: true, store: createMemoryStore() });
    expect(tokens.expiresAt).toBe(tokens.obtainedAt + MAX_TOKEN_LIFETIME_SECONDS * 1000);
    expect(new Date(tokens.expiresAt ?? 0).toISOString()).toMatch(/^\d{4}-/);
  });
});

describe('one freshness rule (skew capped at half the lifetime, a floor on the delay)', () => {
  const tokens = (lifetimeMs: number) => ({ obtainedAt: NOW, expiresAt: NOW + lifetimeMs });
  it.each([
    [3_600_000, NOW + 3_600_000 - 60_000],
    [30_000, NOW + 15_000],
    [0, NOW + MIN_REFRESH_DELAY_MS],
    [-10_000, NOW + MIN_REFRESH_DELAY_MS],
  ])('a %i ms token under a 60 s skew is refreshed at %i', (lifetime, due) => {
    expect(refreshDueAt(tokens(lifetime), 60_000)).toBe(due);
  });
  it('isFresh keeps a just-issued expires_in 0 token until the floor', () => {
    const issued = { accessToken: 'a', tokenType: 'Bearer', ...tokens(0) };
    expect(isFresh(issued, 60, NOW + MIN_REFRESH_DELAY_MS - 1)).toBe(true);
    expect(isFresh(issued, 60, NOW + MIN_REFRESH_DELAY_MS)).toBe(false);
  });
});
