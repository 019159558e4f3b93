import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { fakeResult } from '../../test/helpers.js';
import { checkTokenType } from '../engine/token-type.js';
import { FlowErrorCodes } from '../error-codes.js';
import { usableDPoPAlgorithms } from './algorithm.js';
import { decodeDPoPKey, encodeDPoPKey, generateDPoPKey } from './key.js';
import { createDPoPNonces, isUseDPoPNonce } from './nonce.js';
import { dpopPolicy } from './options.js';
import { createDPoPProof } from './proof.js';

const server = (algs?: unknown) =>
  fakeResult({
    resource: 'https://mcp.example/mcp',
    issuer: 'https://as.example',
    metadata: algs === undefined ? {} : ({ dpop_signing_alg_values_supported: algs } as never),
  });

describe('usableDPoPAlgorithms: dpop_signing_alg_values_supported against the policy', () => {
  it('off: undefined whatever the server lists', () => {
    expect(usableDPoPAlgorithms(server(['ES256']), dpopPolicy(false))).toBeUndefined();
    expect(usableDPoPAlgorithms(server(['ES256']), dpopPolicy(undefined))).toBeUndefined();
  });
  it('the policy order, restricted to what the server lists', () => {
    expect(usableDPoPAlgorithms(server(['RS256', 'ES256']), dpopPolicy(true))).toEqual(['ES256', 'RS256']);
    expect(
      usableDPoPAlgorithms(server(['RS256', 'ES256']), dpopPolicy({ algorithms: ['RS256', 'ES256'] })),
    ).toEqual(['RS256', 'ES256']);
  });
  it('a server that lists nothing: every algorithm (always), no DPoP (when-supported)', () => {
    expect(usableDPoPAlgorithms(server(), dpopPolicy(true))?.[0]).toBe('ES256');
    expect(usableDPoPAlgorithms(server(), dpopPolicy({ when: 'when-supported' }))).toBeUndefined();
    expect(usableDPoPAlgorithms(server('ES256'), dpopPolicy({ when: 'when-supported' }))).toBeUndefined();
  });
  it.each([[['HS256']], [['none']], [[]]])('%j in common with nothing: AUTHORIZATION_FAILED', (algs) => {
    expect(() => usableDPoPAlgorithms(server(algs), dpopPolicy(true))).toThrow(
      expect.objectContaining({
        code: FlowErrorCodes.AUTHORIZATION_FAILED,
        url: 'https://as.example/.well-known/oauth-authorization-server',
      }),
    );
  });
});

describe('DPoP keys and proofs', () => {
  it.each(['ES256', 'EdDSA', 'PS256'] as const)(
    '%s: stored and read back unextractable, same thumbprint; the proof verifies with its jwk header',
    async (alg) => {
      const stored = await encodeDPoPKey(await generateDPoPKey(alg, true));
      const key = await decodeDPoPKey(JSON.parse(JSON.stringify(stored)));
      expect(key.keyPair.privateKey.extractable).toBe(false);
      expect(key.publicJwk).not.toHaveProperty('d');
      expect(key.jkt).toBe(await calculateJwkThumbprint(key.publicJwk, 'sha256'));
      const proof = await createDPoPProof(key, {
        method: 'post',
        url: 'https://mcp.example/mcp?session=1#frag',
        accessToken: 'token-1',
        nonce: 'n-1',
      });
      const header = decodeProtectedHeader(proof);
      expect(header).toMatchObject({ typ: 'dpop+jwt', alg, jwk: key.publicJwk });
      const { payload } = await jwtVerify(proof, await importJWK(key.publicJwk, alg));
      expect(payload).toMatchObject({
        htm: 'POST',
        htu: 'https://mcp.example/mcp',
        nonce: 'n-1',
        ath: createHash('sha256').update('token-1').digest('base64url'),
      });
      expect(Math.abs((payload.iat ?? 0) - Date.now() / 1000)).toBeLessThan(5);
      const again = await createDPoPProof(key, { method: 'GET', url: 'https://as.example/token' });
      const { payload: second } = await jwtVerify(again, await importJWK(key.publicJwk, alg));
      expect(second.jti).not.toBe(payload.jti);
      expect(second).not.toHaveProperty('ath');
      expect(second).not.toHaveProperty('nonce');
    },
  );
});

describe('nonces and token types', () => {
  const answer = (status: number, headers: Record<string, string>) => new Response(null, { status, headers });
  it('use_dpop_nonce needs a 401, a DPoP challenge with that error, and a DPoP-Nonce', () => {
    const nonce = { 'dpop-nonce': 'n' };
    expect(isUseDPoPNonce(answer(401, { ...nonce, 'www-authenticate': 'DPoP error="use_dpop_nonce"' }))).toBe(
      true,
    );
    expect(
      isUseDPoPNonce(
        answer(401, { ...nonce, 'www-authenticate': 'Bearer realm="x", DPoP error=use_dpop_nonce' }),
      ),
    ).toBe(true);
    expect(isUseDPoPNonce(answer(401, { 'www-authenticate': 'DPoP error="use_dpop_nonce"' }))).toBe(false);
    expect(
      isUseDPoPNonce(answer(401, { ...nonce, 'www-authenticate': 'Bearer error="use_dpop_nonce"' })),
    ).toBe(false);
    expect(isUseDPoPNonce(answer(401, { ...nonce, 'www-authenticate': 'DPoP error="invalid_token"' }))).toBe(
      false,
    );
    expect(isUseDPoPNonce(answer(400, { ...nonce, 'www-authenticate': 'DPoP error="use_dpop_nonce"' }))).toBe(
      false,
    );
  });
  it('nonces are remembered per origin, the latest wins', () => {
    const nonces = createDPoPNonces();
    nonces.remember('https://a.example/mcp', answer(200, { 'dpop-nonce': 'one' }));
    nonces.remember('https://a.example/other?x', answer(200, { 'dpop-nonce': 'two' }));
    nonces.remember('https://b.example/mcp', answer(200, {}));
    expect(nonces.get('https://a.example/mcp')).toBe('two');
    expect(nonces.get('https://b.example/mcp')).toBeUndefined();
  });
  it('a proof must come back DPoP-bound; without one, Bearer only', async () => {
    const key = await generateDPoPKey('ES256', false);
    expect(checkTokenType('dpop', key !== undefined, 'https://as.example/token')).toBe('DPoP');
    expect(checkTokenType('Bearer', false, 'https://as.example/token')).toBe('Bearer');
    expect(() => checkTokenType('Bearer', true, 'https://as.example/token')).toThrow(
      expect.objectContaining({ code: FlowErrorCodes.TOKEN_REQUEST_FAILED, expected: 'token_type DPoP' }),
    );
    expect(() => checkTokenType('DPoP', false, 'https://as.example/token')).toThrow(
      expect.objectContaining({ code: FlowErrorCodes.TOKEN_REQUEST_FAILED }),
    );
  });
});
