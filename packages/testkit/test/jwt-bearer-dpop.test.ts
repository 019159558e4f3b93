import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EnterpriseIdpHandle,
  type JwtBearerServerHandle,
  startEnterpriseIdp,
  startJwtBearerServer,
} from '../src/index.js';

// The JWT-bearer server's DPoP (RFC 9449 §4.3, §5, §8) is the oracle of the client's DPoP grant tests:
// each rule it checks is shown to refuse a token request that breaks it.

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
let key: Awaited<ReturnType<typeof generateKeyPair>>;
let jwk: JWK;
let platform: EnterpriseIdpHandle;
let as: JwtBearerServerHandle;

beforeAll(async () => {
  key = await generateKeyPair('ES256', { extractable: true });
  jwk = await exportJWK(key.publicKey);
  platform = await startEnterpriseIdp({ host: '127.0.12.8' });
  as = await startJwtBearerServer({
    host: '127.0.12.9',
    trust: [{ issuer: platform.issuer, jwksUri: platform.jwksUri }],
    dpop: { required: true, requireNonce: true },
  });
});

afterAll(async () => {
  await Promise.all([as?.close(), platform?.close()]);
});

interface ProofParts {
  readonly htm?: string;
  readonly htu?: string;
  readonly jti?: string;
  readonly iat?: number;
  readonly nonce?: string | null;
  readonly typ?: string;
  readonly jwk?: JWK;
}

function proof(parts: ProofParts = {}): Promise<string> {
  const claims: Record<string, unknown> = {
    htm: parts.htm ?? 'POST',
    htu: parts.htu ?? as.tokenEndpoint,
    jti: parts.jti ?? randomUUID(),
  };
  if (parts.nonce !== null) claims.nonce = parts.nonce ?? as.dpop?.nonce;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: parts.typ ?? 'dpop+jwt', jwk: parts.jwk ?? jwk })
    .setIssuedAt(parts.iat ?? Math.floor(Date.now() / 1000))
    .sign(key.privateKey);
}

async function grant(
  dpop?: string,
): Promise<{ status: number; body: Record<string, unknown>; nonce: string | null }> {
  const assertion = await platform.signJwt({ sub: 'workload', aud: as.issuer });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (dpop !== undefined) headers.dpop = dpop;
  const response = await fetch(as.tokenEndpoint, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    nonce: response.headers.get('dpop-nonce'),
  };
}

describe('the JWT-bearer server with DPoP', () => {
  it('advertises its algorithms and binds the token to the proof key (token_type DPoP, cnf.jkt)', async () => {
    const metadata = (await (await fetch(`${as.issuer}/.well-known/oauth-authorization-server`)).json()) as {
      dpop_signing_alg_values_supported?: string[];
    };
    expect(metadata.dpop_signing_alg_values_supported).toContain('ES256');
    const answer = await grant(await proof());
    expect(answer).toMatchObject({ status: 200, body: { token_type: 'DPoP' } });
    const info = await as.verifyAccessToken(String(answer.body.access_token), 'https://any.example');
    expect(info?.jkt).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
    expect(as.dpop?.accepted.at(-1)).toMatchObject({ htm: 'POST', htu: as.tokenEndpoint });
  });

  it('a proof without the nonce: 400 use_dpop_nonce with the nonce in DPoP-Nonce', async () => {
    const answer = await grant(await proof({ nonce: null }));
    expect(answer).toMatchObject({ status: 400, body: { error: 'use_dpop_nonce' }, nonce: as.dpop?.nonce });
  });

  it.each([
    ['no proof', undefined],
    ['typ jwt', { typ: 'jwt' }],
    ['htm GET', { htm: 'GET' }],
    ['htu of another endpoint', { htu: 'http://127.0.12.9/other' }],
    ['iat ten minutes old', { iat: Math.floor(Date.now() / 1000) - 600 }],
  ] as const)('refuses %s (invalid_dpop_proof)', async (_name, parts) => {
    const answer = await grant(parts === undefined ? undefined : await proof(parts));
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_dpop_proof' } });
  });

  it('refuses a private jwk and a replayed jti (invalid_dpop_proof)', async () => {
    const privateJwk = await exportJWK(key.privateKey);
    expect((await grant(await proof({ jwk: privateJwk }))).body.error).toBe('invalid_dpop_proof');
    const once = await proof();
    expect((await grant(once)).status).toBe(200);
    expect((await grant(once)).body).toMatchObject({
      error: 'invalid_dpop_proof',
      error_description: 'a new jti',
    });
  });
});
