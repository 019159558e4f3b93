import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DiscoveryError, isDiscoveryError } from '@oauth-discovery/core';
import {
  type AssertionGrantWorld,
  type EnterpriseIdpHandle,
  type JwtBearerServerHandle,
  type McpServerHandle,
  startAssertionGrantWorld,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthSession } from '../src/auth-session.js';
import type {
  GrantOptions,
  JwtBearerGrantOptions,
  TokenExchangeGrantOptions,
} from '../src/grants/options.js';
import { connectWithOAuth as connectV1 } from '../src/sdk-v1.js';
import { connectWithOAuth as connectV2 } from '../src/sdk-v2.js';
import { createMemoryStore } from '../src/store/memory-store.js';

// Enterprise-managed authorization (token exchange at the IdP, then JWT bearer) and workload identity
// federation (JWT bearer with a token from the environment) against the testkit's real IdP and
// authorization server on loopback, through both SDK lines; every refusal with its code, URL and
// the server's error, and no second request.

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

let world: AssertionGrantWorld;
let idp: EnterpriseIdpHandle;
let as: JwtBearerServerHandle;
let mcp: McpServerHandle;
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'assertion-grants-'));
  world = await startAssertionGrantWorld({
    hosts: ['127.0.11.1', '127.0.11.2', '127.0.11.3', '127.0.11.4'],
    idpClients: [{ client_id: 'idp-app', client_secret: 'idp-secret', idJagClientId: 'mcp-app' }],
    clients: [
      { client_id: 'mcp-app', client_secret: 'mcp-secret' },
      { client_id: 'other-app', client_secret: 'other-secret' },
      { client_id: 'workload' },
      { client_id: 'code-only', grant_types: ['authorization_code'] },
    ],
  });
  ({ idp, as, mcp } = world);
});

afterAll(async () => {
  await world?.close();
  await rm(dir, { recursive: true, force: true });
});

const LINES = {
  'SDK v2': async (grant: GrantOptions) => {
    const c = await connectV2({ serverUrl: mcp.url, grant, store: createMemoryStore(), interactive: false });
    const content = (await c.client.callTool({ name: 'echo', arguments: { text: 'granted' } })).content;
    await c.close();
    return JSON.stringify(content);
  },
  'SDK 1.x': async (grant: GrantOptions) => {
    const c = await connectV1({ serverUrl: mcp.url, grant, store: createMemoryStore(), interactive: false });
    const content = (await c.client.callTool({ name: 'echo', arguments: { text: 'granted' } })).content;
    await c.close();
    return JSON.stringify(content);
  },
} as const;

const enterprise = (idToken: string, clientId = 'mcp-app'): TokenExchangeGrantOptions => ({
  type: 'token-exchange',
  clientId,
  clientSecret: clientId === 'mcp-app' ? 'mcp-secret' : 'other-secret',
  idToken: { value: idToken },
  idp: {
    tokenEndpoint: idp.tokenEndpoint,
    issuer: idp.issuer,
    clientId: 'idp-app',
    clientSecret: 'idp-secret',
  },
});

/** The `DiscoveryError` a grant fails with (the SDK v2 line may wrap it). */
async function failure(run: () => Promise<unknown>): Promise<DiscoveryError> {
  try {
    await run();
  } catch (error) {
    let current: unknown = error;
    for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth += 1) {
      if (isDiscoveryError(current)) return current;
      current = (current as { cause?: unknown }).cause;
    }
    throw error;
  }
  throw new Error('expected an error');
}

/** Runs the grant once in a new session (no MCP request), for its failure. */
function grantOnce(grant: GrantOptions, scope?: string) {
  const session = createAuthSession({ serverUrl: mcp.url, grant, store: createMemoryStore(), scope });
  return session.authorize().finally(() => session.close());
}

/** The JSON of one part of a compact JWT (0 the header, 1 the claims). */
const jwtPart = (jwt: string, part: 0 | 1): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[part] ?? '', 'base64url').toString('utf8'));

const mark = <T extends { length: number }>(list: T) => list.length;

/** The one request a server logged since `before`, checked against `expected` and answered without error. */
function onlyRequest<R extends { readonly error?: unknown }>(
  log: readonly R[],
  before: number,
  expected: object,
): R {
  const sent = log.slice(before);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject(expected);
  expect(sent[0]?.error).toBeUndefined();
  return sent[0] as R;
}

describe.each(Object.entries(LINES))('enterprise-managed authorization through %s', (_line, connect) => {
  it('ID token → ID-JAG at the IdP (token exchange) → access token at the AS (JWT bearer); the call succeeds', async () => {
    const [idpBefore, asBefore] = [mark(idp.requests), mark(as.requests)];
    const answer = await connect(enterprise(await idp.issueIdToken('alice', 'idp-app')));
    expect(answer).toContain('granted');
    onlyRequest(idp.requests, idpBefore, {
      grantType: TOKEN_EXCHANGE,
      clientAuth: 'client_secret_basic',
      clientId: 'idp-app',
      params: {
        requested_token_type: 'urn:ietf:params:oauth:token-type:id-jag',
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
        audience: as.issuer,
        resource: mcp.url,
        scope: 'mcp:tools',
      },
    });
    const bearer = onlyRequest(as.requests, asBefore, {
      grantType: JWT_BEARER,
      clientAuth: 'client_secret_basic',
      clientId: 'mcp-app',
      params: { resource: mcp.url, scope: 'mcp:tools' },
    });
    const assertion = bearer.params.assertion ?? '';
    expect(jwtPart(assertion, 0).typ).toBe('oauth-id-jag+jwt');
    expect(jwtPart(assertion, 1)).toMatchObject({
      iss: idp.issuer,
      sub: 'alice',
      aud: as.issuer,
      client_id: 'mcp-app',
    });
  });
});

describe('enterprise-managed authorization: refusals are final, with code, URL and the server’s error', () => {
  it('an expired ID token: the IdP refuses (invalid_grant), the AS is never asked', async () => {
    const asBefore = mark(as.requests);
    const error = await failure(async () =>
      grantOnce(enterprise(await idp.issueIdToken('alice', 'idp-app', { expiresIn: -120 }))),
    );
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.url).toBe(idp.tokenEndpoint);
    expect(error.actual).toMatchObject({ status: 400, error: 'invalid_grant' });
    expect(as.requests.length).toBe(asBefore);
  });

  it('a wrong secret at the IdP: its 401 invalid_client (with WWW-Authenticate) surfaces as such', async () => {
    const grant = enterprise(await idp.issueIdToken('alice', 'idp-app'));
    const error = await failure(() => grantOnce({ ...grant, idp: { ...grant.idp, clientSecret: 'wrong' } }));
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', url: idp.tokenEndpoint });
    expect(error.actual).toMatchObject({ status: 401, error: 'invalid_client' });
  });

  it('an ID token for another client: the IdP refuses it (invalid_grant)', async () => {
    const error = await failure(async () =>
      grantOnce(enterprise(await idp.issueIdToken('alice', 'someone-else'))),
    );
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', url: idp.tokenEndpoint });
    expect(error.actual).toMatchObject({ error: 'invalid_grant' });
  });

  it('an ID-JAG issued to another client: the AS refuses it (invalid_grant), once', async () => {
    const asBefore = mark(as.requests);
    const error = await failure(async () =>
      grantOnce(enterprise(await idp.issueIdToken('alice', 'idp-app'), 'other-app')),
    );
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', url: as.tokenEndpoint });
    expect(error.actual).toMatchObject({ error: 'invalid_grant' });
    expect(as.requests.slice(asBefore).map((request) => request.error)).toEqual(['invalid_grant']);
  });
});

const workload = (
  assertion: JwtBearerGrantOptions['assertion'],
  clientId?: string,
): JwtBearerGrantOptions => ({
  type: 'jwt-bearer',
  clientId,
  assertion,
});

const workloadToken = (options: { aud?: string; expiresIn?: number } = {}) => world.workloadToken(options);

describe.each(Object.entries(LINES))('workload identity federation through %s', (_line, connect) => {
  it('the token from a file, sent as the assertion with the client id alone; the call succeeds', async () => {
    const file = join(dir, `token-${_line.replace(/\W/g, '')}`);
    const token = await workloadToken();
    await writeFile(file, `${token}\n`);
    const before = mark(as.requests);
    expect(await connect(workload({ file }, 'workload'))).toContain('granted');
    onlyRequest(as.requests, before, {
      grantType: JWT_BEARER,
      clientAuth: 'none',
      clientId: 'workload',
      params: { assertion: token, resource: mcp.url, scope: 'mcp:tools' },
    });
  });
});

describe('workload identity federation: the token is read again at every grant', () => {
  it('a rotated file: each authorization sends the token the file holds then', async () => {
    const file = join(dir, 'rotating');
    const first = await workloadToken();
    await writeFile(file, first);
    const session = createAuthSession({
      serverUrl: mcp.url,
      grant: workload({ file }),
      store: createMemoryStore(),
    });
    const before = mark(as.requests);
    await session.authorize();
    const second = await workloadToken();
    await writeFile(file, second);
    await session.authorize();
    await session.close();
    const sent = as.requests.slice(before);
    expect(sent.map((request) => [request.params.assertion, request.clientAuth, request.error])).toEqual([
      [first, 'anonymous', undefined],
      [second, 'anonymous', undefined],
    ]);
  });

  it('an environment variable, read when the grant runs', async () => {
    const name = 'OAUTH_DISCOVERY_TEST_WORKLOAD_TOKEN';
    const grant = workload({ env: name }, 'workload');
    process.env[name] = await workloadToken();
    try {
      const tokens = await grantOnce(grant);
      expect(tokens.scope).toBe('mcp:tools');
      expect(as.requests.at(-1)?.params.assertion).toBe(process.env[name]);
    } finally {
      delete process.env[name];
    }
    const unset = await failure(() => grantOnce(grant));
    expect(unset).toMatchObject({ code: 'INVALID_CONFIG', url: `$${name}` });
  });

  it('a missing file: INVALID_CONFIG naming it, nothing sent', async () => {
    const before = mark(as.requests);
    const file = join(dir, 'absent');
    const error = await failure(() => grantOnce(workload({ file })));
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', url: `file ${file}` });
    expect(as.requests.length).toBe(before);
  });
});

describe('workload identity federation: refusals surface once, with code, URL and the server’s error', () => {
  const cases: [string, string, () => Promise<JwtBearerGrantOptions>, string | undefined][] = [
    [
      'an expired token',
      'invalid_grant',
      async () => workload({ value: await workloadToken({ expiresIn: -120 }) }),
      undefined,
    ],
    [
      'a token for another audience',
      'invalid_grant',
      async () => workload({ value: await workloadToken({ aud: 'https://other.example' }) }),
      undefined,
    ],
    [
      'a scope the AS does not grant',
      'invalid_scope',
      async () => workload({ value: await workloadToken() }),
      'admin',
    ],
    [
      'a client that may not use the grant',
      'unauthorized_client',
      async () => workload({ value: await workloadToken() }, 'code-only'),
      undefined,
    ],
  ];
  it.each(cases)(
    '%s: TOKEN_REQUEST_FAILED (%s), no retry, no other grant',
    async (_name, expected, grant, scope) => {
      const options = await grant();
      const before = mark(as.requests);
      const error = await failure(() => grantOnce(options, scope));
      expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', url: as.tokenEndpoint });
      expect(error.actual).toMatchObject({ status: 400, error: expected });
      expect(error.message).toContain(expected);
      expect(as.requests.slice(before).map((request) => [request.grantType, request.error])).toEqual([
        [JWT_BEARER, expected],
      ]);
    },
  );

  it('a replayed token (same jti): the second grant is refused (invalid_grant)', async () => {
    const grant = workload({ value: await workloadToken() });
    await grantOnce(grant);
    const error = await failure(() => grantOnce(grant));
    expect(error.actual).toMatchObject({ error: 'invalid_grant' });
  });

  it('a connection through the SDK fails with the grant’s error, not a retry', async () => {
    const before = mark(as.requests);
    const error = await failure(() => LINES['SDK v2'](workload({ value: 'not-a-jwt' })));
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', url: as.tokenEndpoint });
    expect(as.requests.length - before).toBe(1);
  });
});

describe('options are checked when given', () => {
  it.each([
    ['a jwt-bearer grant without an assertion source', { type: 'jwt-bearer', assertion: { path: 'x' } }],
    [
      'a jwt-bearer secret without a client id',
      { type: 'jwt-bearer', clientSecret: 's', assertion: { value: 'x' } },
    ],
    [
      'a token-exchange grant without the IdP',
      { type: 'token-exchange', clientId: 'a', idToken: { value: 'x' } },
    ],
    [
      'a token-exchange grant without the IdP client id',
      {
        type: 'token-exchange',
        clientId: 'a',
        idToken: { value: 'x' },
        idp: { tokenEndpoint: 'http://127.0.0.1/token' },
      },
    ],
  ])('%s: INVALID_CONFIG', async (_name, grant) => {
    const error = await failure(async () =>
      createAuthSession({ serverUrl: mcp.url, grant: grant as unknown as GrantOptions }),
    );
    expect(error.code).toBe('INVALID_CONFIG');
  });
});
