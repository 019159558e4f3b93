import { generateKeyPairSync } from 'node:crypto';
import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import {
  type McpServerHandle,
  type OidcProviderHandle,
  startMcpServer,
  startOidcProvider,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthSession } from '../src/auth-session.js';
import type { ConnectOptions } from '../src/connect.js';
import { FlowErrorCodes } from '../src/error-codes.js';
import type { ClientCredentialsGrantOptions } from '../src/grants/options.js';
import { connectWithOAuth as connectV1 } from '../src/sdk-v1.js';
import { connectWithOAuth as connectV2 } from '../src/sdk-v2.js';
import { storeKey } from '../src/store/binding.js';
import { createMemoryStore } from '../src/store/memory-store.js';
import type { TokenStore } from '../src/store/types.js';

// The client credentials grant (secret by basic and post, private_key_jwt) against oidc-provider on
// loopback, through both SDK lines: what the authorization server saw, and the MCP call it allowed.

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: typeof ec.privateKey) => key.export({ format: 'pem', type: 'pkcs8' }).toString();

/** A token request as the authorization server parsed it. */
interface SeenTokenRequest {
  readonly clientId: string;
  readonly grantType: unknown;
  readonly resource: unknown;
  readonly scope: unknown;
  readonly basic: string | false;
  readonly secretInBody: boolean;
  readonly assertionType: unknown;
}

let oidc: OidcProviderHandle;
let mcp: McpServerHandle;
/** An authorization server that takes client secrets in the body only. */
let postOnly: OidcProviderHandle;
let postMcp: McpServerHandle;
let seen: SeenTokenRequest[] = [];
let refused: string[] = [];
const clientBase = { grant_types: ['client_credentials'], redirect_uris: [], response_types: [] };

beforeAll(async () => {
  let resourceUrl = '';
  oidc = await startOidcProvider({
    host: '127.0.10.2',
    clientCredentials: true,
    registration: false,
    resourceServers: (resource) => (resource === resourceUrl ? { scope: 'mcp:tools' } : undefined),
    clients: [
      {
        ...clientBase,
        client_id: 'basic-bot',
        client_secret: 'basic-secret',
        token_endpoint_auth_method: 'client_secret_basic',
      },
      {
        ...clientBase,
        client_id: 'post-bot',
        client_secret: 'post-secret',
        token_endpoint_auth_method: 'client_secret_post',
      },
      {
        ...clientBase,
        client_id: 'jwt-bot',
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: {
          keys: [
            ec.publicKey.export({ format: 'jwk' }),
            { ...rsa.publicKey.export({ format: 'jwk' }), alg: 'RS256' },
          ],
        },
      },
    ],
  });
  const record = (raw: unknown) => {
    const ctx = raw as {
      oidc: { client?: { clientId: string }; body?: Record<string, unknown> };
      headers: Record<string, string | undefined>;
    };
    const body = ctx.oidc.body ?? {};
    seen.push({
      clientId: ctx.oidc.client?.clientId ?? '',
      grantType: body.grant_type,
      resource: body.resource,
      scope: body.scope,
      // As sent: the id and secret form-urlencoded, `-` left as is (servers that do not decode exist).
      basic: ctx.headers.authorization?.startsWith('Basic ')
        ? Buffer.from(ctx.headers.authorization.slice(6), 'base64').toString()
        : false,
      secretInBody: body.client_secret !== undefined,
      assertionType: body.client_assertion_type,
    });
  };
  oidc.provider.on('grant.success', record);
  oidc.provider.on('grant.error', (_ctx: unknown, error: unknown) => {
    refused.push(String((error as { error?: string }).error));
  });
  mcp = await startMcpServer({
    host: '127.0.10.3',
    verifyToken: (token) => oidc.verifyAccessToken(token, resourceUrl),
    resourceMetadata: { authorizationServers: [oidc.issuer], scopesSupported: ['mcp:tools'] },
  });
  resourceUrl = mcp.url;
  let postResource = '';
  postOnly = await startOidcProvider({
    host: '127.0.10.4',
    clientCredentials: true,
    registration: false,
    clientAuthMethods: ['client_secret_post'],
    resourceServers: (resource) => (resource === postResource ? { scope: 'mcp:tools' } : undefined),
    clients: [
      {
        ...clientBase,
        client_id: 'post-bot',
        client_secret: 'post-secret',
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
  });
  postOnly.provider.on('grant.success', record);
  postMcp = await startMcpServer({
    host: '127.0.10.5',
    verifyToken: (token) => postOnly.verifyAccessToken(token, postResource),
    resourceMetadata: { authorizationServers: [postOnly.issuer], scopesSupported: ['mcp:tools'] },
  });
  postResource = postMcp.url;
});

afterAll(async () => {
  await Promise.all([mcp?.close(), oidc?.close(), postMcp?.close(), postOnly?.close()]);
});

function reset(): void {
  seen = [];
  refused = [];
}

/** The MCP client and connection of either SDK line, as far as these tests use them. */
type Connect = (options: ConnectOptions) => Promise<{
  readonly client: {
    callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  };
  close(): Promise<void>;
}>;

/** Connects with `grant`, calls the echo tool and closes: the answer's content as JSON. */
const callThrough =
  (connect: Connect) =>
  async (grant: ClientCredentialsGrantOptions, store: TokenStore, serverUrl = mcp.url): Promise<string> => {
    const c = await connect({ serverUrl, grant, store, interactive: false });
    const { content } = (await c.client.callTool({ name: 'echo', arguments: { text: 'machine' } })) as {
      content?: unknown;
    };
    await c.close();
    return JSON.stringify(content);
  };

const LINES = { 'SDK v2': callThrough(connectV2), 'SDK 1.x': callThrough(connectV1) } as const;

interface GrantCase {
  readonly name: string;
  readonly grant: ClientCredentialsGrantOptions;
  /** The token request the authorization server saw, over the defaults below. */
  readonly expected: Partial<SeenTokenRequest>;
  /** The MCP server (and through it the authorization server) to use; default the one taking every method. */
  readonly server?: () => string;
}

const CASES: readonly GrantCase[] = [
  {
    name: 'client_secret_basic',
    grant: { type: 'client_credentials', clientId: 'basic-bot', clientSecret: 'basic-secret' },
    expected: { basic: 'basic-bot:basic-secret' },
  },
  {
    name: 'client_secret_post, chosen when the server lists only it: the secret in the body, never in a Basic header',
    grant: { type: 'client_credentials', clientId: 'post-bot', clientSecret: 'post-secret' },
    expected: { secretInBody: true },
    server: () => postMcp.url,
  },
  {
    name: 'private_key_jwt (ES256 from the key)',
    grant: { type: 'client_credentials', clientId: 'jwt-bot', privateKey: pem(ec.privateKey) },
    expected: { assertionType: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' },
  },
  {
    name: 'private_key_jwt (RS256 given)',
    grant: {
      type: 'client_credentials',
      clientId: 'jwt-bot',
      privateKey: pem(rsa.privateKey),
      signingAlgorithm: 'RS256',
    },
    expected: { assertionType: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' },
  },
];

describe.each(Object.entries(LINES))('client credentials through %s', (_line, connect) => {
  it.each(CASES)(
    '$name: a 401 leads to discovery and the grant, with resource and scope; the call succeeds',
    async ({ grant, expected, server = () => mcp.url }) => {
      reset();
      const store = createMemoryStore();
      const answer = await connect(grant, store, server());
      expect(answer).toContain('machine');
      expect(refused).toEqual([]);
      expect(seen).toEqual([
        {
          clientId: grant.clientId,
          grantType: 'client_credentials',
          resource: server(),
          scope: 'mcp:tools',
          basic: false,
          secretInBody: false,
          assertionType: undefined,
          ...expected,
        },
      ]);
      // Stored under the resource and the verified issuer, with the clamped expiry.
      const session = createAuthSession({ serverUrl: server(), store });
      const tokens = await store.readTokens(storeKey(await session.discover()));
      await session.close();
      expect(tokens?.scope).toBe('mcp:tools');
      expect(tokens?.refreshToken).toBeUndefined();
      expect((tokens?.expiresAt ?? 0) - (tokens?.obtainedAt ?? 0)).toBe(3600_000);
    },
  );
});

/** The code of what `run` throws (an SDK v2 error may wrap ours). */
async function codeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    let current: unknown = error;
    for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth += 1) {
      if (isDiscoveryError(current)) return current.code;
      current = (current as { cause?: unknown }).cause;
    }
    throw error;
  }
  throw new Error('expected an error');
}

describe('bad grants fail with their codes, and no secret goes where it does not belong', () => {
  const connect = LINES['SDK v2'];
  const store = () => createMemoryStore();
  it.each([
    ['no secret and no key', { type: 'client_credentials', clientId: 'basic-bot' }],
    [
      'a secret and a key',
      {
        type: 'client_credentials',
        clientId: 'basic-bot',
        clientSecret: 's',
        privateKey: pem(ec.privateKey),
      },
    ],
    ['an empty client id', { type: 'client_credentials', clientId: '', clientSecret: 's' }],
  ] as const)('%s: INVALID_CONFIG before any request', async (_name, grant) => {
    reset();
    expect(() => createAuthSession({ serverUrl: mcp.url, grant })).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_CONFIG }),
    );
    expect(seen).toEqual([]);
  });

  const jwtBot = { type: 'client_credentials', clientId: 'jwt-bot' } as const;
  const basicBot = {
    type: 'client_credentials',
    clientId: 'basic-bot',
    clientSecret: 'basic-secret',
  } as const;
  it.each<{
    readonly name: string;
    /** A function when the grant names a server started in `beforeAll`. */
    readonly grant: ClientCredentialsGrantOptions | (() => ClientCredentialsGrantOptions);
    readonly server?: () => string;
    readonly code: string;
    /** What the authorization server refused (`grant.error`), when the case says. */
    readonly refused?: readonly string[];
  }>([
    {
      name: 'a PEM that is not a key: INVALID_CONFIG, no token request',
      grant: { ...jwtBot, privateKey: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n' },
      code: ErrorCodes.INVALID_CONFIG,
    },
    {
      name: 'an algorithm the key cannot sign with: INVALID_CONFIG, no token request',
      grant: { ...jwtBot, privateKey: pem(ec.privateKey), signingAlgorithm: 'RS256' },
      code: ErrorCodes.INVALID_CONFIG,
    },
    {
      name: 'an unknown algorithm: INVALID_CONFIG, no token request',
      grant: { ...jwtBot, privateKey: pem(ec.privateKey), signingAlgorithm: 'HS256' },
      code: ErrorCodes.INVALID_CONFIG,
    },
    {
      name: 'a public key: INVALID_CONFIG, no token request',
      grant: { ...jwtBot, privateKey: ec.publicKey.export({ format: 'pem', type: 'spki' }).toString() },
      code: ErrorCodes.INVALID_CONFIG,
    },
    {
      name: 'a wrong secret: TOKEN_REQUEST_FAILED (invalid_client)',
      grant: { ...basicBot, clientSecret: 'wrong' },
      code: FlowErrorCodes.TOKEN_REQUEST_FAILED,
      refused: ['invalid_client'],
    },
    {
      name: 'a key the client did not register: TOKEN_REQUEST_FAILED',
      grant: { ...jwtBot, privateKey: pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey) },
      code: FlowErrorCodes.TOKEN_REQUEST_FAILED,
    },
    {
      name: 'credentials of another issuer: ISSUER_MISMATCH, the token endpoint never sees them',
      grant: () => ({ ...basicBot, issuer: postOnly.issuer }),
      code: ErrorCodes.ISSUER_MISMATCH,
      refused: [],
    },
    {
      name: 'private_key_jwt where the server does not list it: AUTHORIZATION_FAILED, no request',
      grant: { type: 'client_credentials', clientId: 'post-bot', privateKey: pem(ec.privateKey) },
      server: () => postMcp.url,
      code: FlowErrorCodes.AUTHORIZATION_FAILED,
      refused: [],
    },
    {
      name: "when 'without-authorization-code': a server offering the code flow gets it instead (non-interactive: LOGIN_REQUIRED)",
      grant: { ...basicBot, when: 'without-authorization-code' },
      code: FlowErrorCodes.LOGIN_REQUIRED,
    },
  ])('$name', async ({ grant, server = () => mcp.url, code, refused: expectedRefused }) => {
    reset();
    const given = typeof grant === 'function' ? grant() : grant;
    expect(await codeOf(() => connect(given, store(), server()))).toBe(code);
    expect(seen).toEqual([]);
    if (expectedRefused !== undefined) expect(refused).toEqual(expectedRefused);
  });
});

describe('an expiring machine token is replaced by running the grant again (there is no refresh token)', () => {
  it('a stored token past its expiry: a new client_credentials request, the call succeeds', async () => {
    reset();
    const store = createMemoryStore();
    const grant = {
      type: 'client_credentials',
      clientId: 'basic-bot',
      clientSecret: 'basic-secret',
    } as const;
    await LINES['SDK v2'](grant, store);
    expect(seen).toHaveLength(1);
    const session = createAuthSession({ serverUrl: mcp.url, store });
    const key = storeKey(await session.discover());
    await session.close();
    const first = await store.readTokens(key);
    if (first === undefined) throw new Error('no stored tokens');
    await store.writeTokens(key, { ...first, obtainedAt: 0, expiresAt: 1 });
    expect(await LINES['SDK 1.x'](grant, store)).toContain('machine');
    expect(seen.map((request) => request.grantType)).toEqual(['client_credentials', 'client_credentials']);
    expect((await store.readTokens(key))?.accessToken).not.toBe(first.accessToken);
  });
});
