import { isDiscoveryError } from '@oauth-discovery/core';
import {
  type AssertionGrantWorld,
  type JwtBearerServerHandle,
  type McpServerHandle,
  startAssertionGrantWorld,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthSession } from '../src/auth-session.js';
import { FlowErrorCodes } from '../src/error-codes.js';
import type { JwtBearerGrantOptions } from '../src/grants/options.js';
import { connectWithOAuth as connectV1 } from '../src/sdk-v1.js';
import { connectWithOAuth as connectV2 } from '../src/sdk-v2.js';
import { createMemoryStore } from '../src/store/memory-store.js';

// DPoP (RFC 9449) with the RFC 7523 JWT-bearer grant (workload identity): the testkit's JWT-bearer
// server checks every proof at its token endpoint (typ, alg, jwk, htm, htu, iat, jti, its nonce) and
// binds the token to the proof's key; the MCP server checks the proof of every request and the
// token's binding.

let world: AssertionGrantWorld;
let as: JwtBearerServerHandle;
let mcp: McpServerHandle;

beforeAll(async () => {
  world = await startAssertionGrantWorld({
    hosts: ['127.0.13.1', '127.0.13.2', '127.0.13.3', '127.0.13.4'],
    idpClients: [],
    clients: [{ client_id: 'workload' }],
    dpop: { required: true, requireNonce: true },
  });
  ({ as, mcp } = world);
});

afterAll(async () => {
  await world?.close();
});

const grant = async (): Promise<JwtBearerGrantOptions> => ({
  type: 'jwt-bearer',
  clientId: 'workload',
  assertion: { value: await world.workloadToken() },
});

/** Connects through one SDK line with DPoP and calls a tool. */
const line =
  (connect: typeof connectV1 | typeof connectV2) =>
  async (options: JwtBearerGrantOptions): Promise<string> => {
    const c = await connect({
      serverUrl: mcp.url,
      grant: options,
      dpop: true,
      store: createMemoryStore(),
      interactive: false,
    });
    const { content } = await c.client.callTool({ name: 'echo', arguments: { text: 'bound' } });
    await c.close();
    return JSON.stringify(content);
  };

const LINES = { 'SDK v2': line(connectV2), 'SDK 1.x': line(connectV1) } as const;

describe.each(Object.entries(LINES))('JWT bearer with DPoP through %s', (_line, connect) => {
  it('the proof is checked at the token endpoint (with its nonce), and the MCP requests use Authorization: DPoP', async () => {
    const requestsBefore = as.requests.length;
    const acceptedBefore = as.dpop?.accepted.length ?? 0;
    const challengesBefore = as.dpop?.nonceChallenges ?? 0;
    const mcpLogBefore = mcp.requests.length;
    const mcpProofsBefore = mcp.dpop?.accepted.length ?? 0;

    expect(await connect(await grant())).toContain('bound');

    // Sent once without the nonce (400 use_dpop_nonce), once more with it: one token.
    expect(as.requests.slice(requestsBefore).map((request) => request.error)).toEqual([
      'use_dpop_nonce',
      undefined,
    ]);
    expect((as.dpop?.nonceChallenges ?? 0) - challengesBefore).toBe(1);
    const proofs = as.dpop?.accepted.slice(acceptedBefore) ?? [];
    expect(proofs).toHaveLength(1);
    expect(proofs[0]).toMatchObject({ htm: 'POST', htu: as.tokenEndpoint, nonce: as.dpop?.nonce });

    // The first request goes without a token (its 401 starts the grant); every later one is DPoP.
    const sent = mcp.requests
      .slice(mcpLogBefore)
      .flatMap((request) =>
        request.headers.authorization === undefined ? [] : [request.headers.authorization],
      );
    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const authorization of sent) expect(authorization).toMatch(/^DPoP [A-Za-z0-9_-]+$/);
    const mcpProofs = mcp.dpop?.accepted.slice(mcpProofsBefore) ?? [];
    expect(mcpProofs.length).toBeGreaterThanOrEqual(3);
    // Every MCP proof is made with the key the token endpoint bound the token to.
    expect(new Set(mcpProofs.map((proof) => proof.jkt))).toEqual(new Set([proofs[0]?.jkt]));
  });
});

describe('the JWT-bearer server requires DPoP', () => {
  it('a grant without a proof is refused (invalid_dpop_proof), once', async () => {
    const before = as.requests.length;
    const session = createAuthSession({
      serverUrl: mcp.url,
      grant: await grant(),
      store: createMemoryStore(),
    });
    const error = await session.authorize().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    await session.close();
    expect(isDiscoveryError(error, FlowErrorCodes.TOKEN_REQUEST_FAILED)).toBe(true);
    expect((error as { actual?: unknown }).actual).toMatchObject({
      status: 400,
      error: 'invalid_dpop_proof',
    });
    expect(as.requests.slice(before).map((request) => request.error)).toEqual(['invalid_dpop_proof']);
  });

  it('a bound token presented as Bearer is refused by the MCP server', async () => {
    const store = createMemoryStore();
    const session = createAuthSession({ serverUrl: mcp.url, grant: await grant(), store, dpop: true });
    const tokens = await session.authorize();
    await session.close();
    expect(tokens.tokenType).toBe('DPoP');
    expect((await as.verifyAccessToken(tokens.accessToken, mcp.url))?.jkt).toBe(tokens.dpopJkt);
    const response = await fetch(mcp.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.accessToken}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(response.status).toBe(401);
  });
});
