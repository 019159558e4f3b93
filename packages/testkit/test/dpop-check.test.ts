import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type McpServerHandle, startMcpServer } from '../src/index.js';

// The testkit's DPoP resource server is the oracle of the client's DPoP tests: each rule it checks
// (RFC 9449 §4.3, §7.1, §9) is shown to refuse a request that breaks it.

const TOKEN = 'bound-token';
let key: Awaited<ReturnType<typeof generateKeyPair>>;
let jwk: JWK;
let mcp: McpServerHandle;
let nonceMcp: McpServerHandle;

beforeAll(async () => {
  key = await generateKeyPair('ES256');
  jwk = await exportJWK(key.publicKey);
  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  const verifyToken = async (token: string) =>
    token === TOKEN ? { subject: 'u', scopes: [], expiresAt: Date.now() / 1000 + 60, jkt } : null;
  const resourceMetadata = { authorizationServers: ['https://as.example'] };
  [mcp, nonceMcp] = await Promise.all([
    startMcpServer({ host: '127.0.11.8', dpop: true, verifyToken, resourceMetadata }),
    startMcpServer({ host: '127.0.11.9', dpop: { requireNonce: true }, verifyToken, resourceMetadata }),
  ]);
});

afterAll(async () => {
  await Promise.all([mcp?.close(), nonceMcp?.close()]);
});

interface ProofParts {
  readonly htm?: string;
  readonly htu?: string;
  readonly ath?: string;
  readonly jti?: string;
  readonly iat?: number;
  readonly nonce?: string;
  readonly typ?: string;
}

function proof(url: string, parts: ProofParts = {}): Promise<string> {
  return new SignJWT({
    htm: parts.htm ?? 'POST',
    htu: parts.htu ?? url,
    ath: parts.ath ?? createHash('sha256').update(TOKEN).digest('base64url'),
    jti: parts.jti ?? randomUUID(),
    nonce: parts.nonce,
  })
    .setProtectedHeader({ alg: 'ES256', typ: parts.typ ?? 'dpop+jwt', jwk })
    .setIssuedAt(parts.iat ?? Math.floor(Date.now() / 1000))
    .sign(key.privateKey);
}

async function call(url: string, headers: Record<string, string>): Promise<Response> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '0' } },
    }),
  });
  await response.arrayBuffer();
  return response;
}

describe('startMcpServer({ dpop })', () => {
  it('a correct proof passes; no token: a DPoP challenge', async () => {
    expect((await call(mcp.url, { authorization: `DPoP ${TOKEN}`, dpop: await proof(mcp.url) })).status).toBe(
      200,
    );
    const anonymous = await call(mcp.url, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^DPoP resource_metadata=/);
  });

  it.each([
    ['no proof', async () => ({ authorization: `DPoP ${TOKEN}` })],
    [
      'the bound token as Bearer',
      async () => ({ authorization: `Bearer ${TOKEN}`, dpop: await proof(mcp.url) }),
    ],
    [
      'another method',
      async () => ({ authorization: `DPoP ${TOKEN}`, dpop: await proof(mcp.url, { htm: 'GET' }) }),
    ],
    [
      'another URL',
      async () => ({
        authorization: `DPoP ${TOKEN}`,
        dpop: await proof(mcp.url, { htu: `${mcp.origin}/other` }),
      }),
    ],
    [
      'another token',
      async () => ({ authorization: `DPoP ${TOKEN}`, dpop: await proof(mcp.url, { ath: 'x' }) }),
    ],
    [
      'an old proof',
      async () => ({
        authorization: `DPoP ${TOKEN}`,
        dpop: await proof(mcp.url, { iat: Date.now() / 1000 - 900 }),
      }),
    ],
    [
      'a JWT of another type',
      async () => ({ authorization: `DPoP ${TOKEN}`, dpop: await proof(mcp.url, { typ: 'JWT' }) }),
    ],
  ] as const)('%s: 401', async (_name, headers) => {
    const response = await call(mcp.url, await headers());
    expect(response.status).toBe(401);
  });

  it('a jti seen before: 401 invalid_dpop_proof', async () => {
    const jti = randomUUID();
    const first = await call(mcp.url, {
      authorization: `DPoP ${TOKEN}`,
      dpop: await proof(mcp.url, { jti }),
    });
    expect(first.status).toBe(200);
    const replay = await call(mcp.url, {
      authorization: `DPoP ${TOKEN}`,
      dpop: await proof(mcp.url, { jti }),
    });
    expect(replay.status).toBe(401);
    expect(replay.headers.get('www-authenticate')).toContain('invalid_dpop_proof');
  });

  it('requireNonce: 401 use_dpop_nonce with the nonce, then the proof with it passes', async () => {
    const first = await call(nonceMcp.url, {
      authorization: `DPoP ${TOKEN}`,
      dpop: await proof(nonceMcp.url),
    });
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toContain('error="use_dpop_nonce"');
    const nonce = first.headers.get('dpop-nonce') ?? '';
    expect(nonce).toBe(nonceMcp.dpop?.nonce);
    const second = await call(nonceMcp.url, {
      authorization: `DPoP ${TOKEN}`,
      dpop: await proof(nonceMcp.url, { nonce }),
    });
    expect(second.status).toBe(200);
    expect(nonceMcp.dpop?.accepted.at(-1)?.nonce).toBe(nonce);
  });
});
