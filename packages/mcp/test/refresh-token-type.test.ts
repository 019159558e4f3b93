import { isDiscoveryError } from '@oauth-discovery/core';
import { createHttpClient } from '@oauth-discovery/core/http';
import {
  type HostileAuthorizationServerHandle,
  startHostileAuthorizationServer,
} from '@oauth-discovery/testkit';
import { getDPoPHandle, randomDPoPKeyPair } from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineConfiguration } from '../src/engine/configuration.js';
import { refreshTokens } from '../src/engine/refresh.js';
import { FlowErrorCodes } from '../src/error-codes.js';
import type { StoredTokens } from '../src/store/types.js';
import { fakeResult } from './helpers.js';

// The engine's one token-type rule (checkTokenType) on the refresh path: an answer of a type this
// client cannot use is refused — and a refresh token it rotated is stored all the same, since the old
// one may be dead. The testkit's hostile server ignores DPoP and always rotates.

const http = createHttpClient({ allowAddressRanges: ['loopback'] });
let bearerOnly: HostileAuthorizationServerHandle;
let macTokens: HostileAuthorizationServerHandle;

beforeAll(async () => {
  [bearerOnly, macTokens] = await Promise.all([
    startHostileAuthorizationServer({ host: '127.0.12.5' }),
    startHostileAuthorizationServer({ host: '127.0.12.6', tokenResponse: { token_type: 'mac' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([bearerOnly?.close(), macTokens?.close(), http.close()]);
});

const previous = {
  accessToken: 'old-access',
  tokenType: 'DPoP',
  refreshToken: 'old-refresh',
  obtainedAt: 0,
  expiresAt: 1,
} as const satisfies StoredTokens;

function setup(server: HostileAuthorizationServerHandle) {
  const result = fakeResult({ resource: 'https://r.example/mcp', issuer: server.issuer });
  const configuration = engineConfiguration(
    result,
    { clientId: 'c1' },
    { http, init: { allowAddressRanges: ['loopback'] } },
  );
  const saved: StoredTokens[] = [];
  const storage = {
    async save(next: StoredTokens) {
      saved.push(next);
      return next;
    },
  };
  return { result, configuration, saved, storage };
}

describe('the token type of a refresh answer (checkTokenType, one rule)', () => {
  it('a Bearer token after a DPoP proof is refused; the rotated refresh token is stored, the old access token kept', async () => {
    const { result, configuration, saved, storage } = setup(bearerOnly);
    const dpop = getDPoPHandle(configuration, await randomDPoPKeyPair());
    const before = bearerOnly.tokenRequests.length;
    const error = await refreshTokens(configuration, result, previous, storage, { dpop }).catch(
      (e: unknown) => e,
    );
    expect(isDiscoveryError(error, FlowErrorCodes.TOKEN_REQUEST_FAILED)).toBe(true);
    expect(error).toMatchObject({ expected: 'token_type DPoP', actual: 'bearer' });
    expect(bearerOnly.tokenRequests.slice(before)).toHaveLength(1);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ accessToken: 'old-access', tokenType: 'DPoP' });
    expect(saved[0]?.refreshToken).toMatch(/^hostile-rt-/);
  });

  it('a type openid-client does not know is a malformed answer: refused, the store untouched', async () => {
    const { result, configuration, saved, storage } = setup(macTokens);
    const error = await refreshTokens(
      configuration,
      result,
      { ...previous, tokenType: 'Bearer' },
      storage,
    ).catch((e: unknown) => e);
    expect(isDiscoveryError(error, FlowErrorCodes.TOKEN_REQUEST_FAILED)).toBe(true);
    expect(error).toMatchObject({ actual: { token_type: 'mac', refresh_token: '[redacted]' } });
    expect(saved).toEqual([]);
  });

  it('a Bearer answer without a proof is stored as Bearer', async () => {
    const { result, configuration, saved, storage } = setup(bearerOnly);
    const fresh = await refreshTokens(configuration, result, { ...previous, tokenType: 'Bearer' }, storage);
    expect(fresh.tokenType).toBe('Bearer');
    expect(saved).toEqual([fresh]);
  });
});
