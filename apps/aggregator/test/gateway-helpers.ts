import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { type OidcProviderHandle, startOidcProvider } from '@oauth-discovery/testkit';
import { createClient } from '@redis/client';

/** The gateway's own client at the team IdP (tokens are minted for it; introspection authenticates as it). */
export const GATEWAY_CLIENT = { id: 'gateway-tests', secret: 'gateway-tests-secret-0123456789' } as const;

/** Client metadata of {@link GATEWAY_CLIENT} for `startOidcProvider({ clients })`. */
export const gatewayClientMetadata = {
  client_id: GATEWAY_CLIENT.id,
  client_secret: GATEWAY_CLIENT.secret,
  redirect_uris: ['http://127.0.0.1/unused'],
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'client_secret_basic',
};

/** The team IdP of the gateway tests: oidc-provider knowing {@link GATEWAY_CLIENT}, scope `mcp` for any resource. */
export function startTeamIdp(): Promise<OidcProviderHandle> {
  return startOidcProvider({ clients: [gatewayClientMetadata], resourceServers: () => ({ scope: 'mcp' }) });
}

/**
 * The keys every instance of a test fleet shares: listening on 127.0.0.1 (any port) behind one
 * `publicUrl`, users from the team IdP at `issuer`, the Redis store under the test's own `prefix`.
 */
export function fleetConfig(publicUrl: string, issuer: string, prefix: string) {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    publicUrl,
    auth: { type: 'oauth', issuer },
    store: { type: 'redis', url: REDIS_URL, prefix },
  } as const;
}

/** Deletes every Redis key under `prefix` (a test's own namespace). */
export async function clearRedisPrefix(prefix: string): Promise<void> {
  const redis = await createClient({ url: REDIS_URL }).connect();
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 }))
    if (keys.length > 0) await redis.del(keys);
  await redis.close();
}

/** A fresh `OAUTH_DISCOVERY_STORE_KEYS` value: one random AES-256 key. */
export function storeKeys(id = 'test-key'): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/**
 * An access token the team IdP (oidc-provider) issues and signs itself for `subject`, with `audience`
 * as its RFC 8707 resource: a JWT (RFC 9068) or an opaque token (for introspection). oidc-provider logs
 * in one fixed account per instance; minting through its own token model gives each test user a
 * subject of their own while the IdP still signs and stores the token.
 */
export async function mintAccessToken(
  idp: OidcProviderHandle,
  subject: string,
  audience: string,
  format: 'jwt' | 'opaque' = 'jwt',
  scope = 'mcp',
): Promise<string> {
  const provider = idp.provider as unknown as {
    Client: { find(id: string): Promise<unknown> };
    AccessToken: new (
      fields: Record<string, unknown>,
    ) => { resourceServer?: unknown; save(): Promise<string> };
    ResourceServer: new (identifier: string, data: Record<string, unknown>) => unknown;
  };
  const client = await provider.Client.find(GATEWAY_CLIENT.id);
  const token = new provider.AccessToken({
    accountId: subject,
    client,
    scope,
    gty: 'authorization_code',
  });
  token.resourceServer = new provider.ResourceServer(audience, {
    audience,
    scope: 'mcp',
    accessTokenTTL: 3600,
    accessTokenFormat: format,
    ...(format === 'jwt' ? { jwt: { sign: { alg: 'RS256' } } } : {}),
  });
  return token.save();
}

/** An MCP client of the aggregator sending `token` as its bearer token. */
export async function connectAs(
  url: string,
  token: string,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport; listChanged: () => number }> {
  const client = new Client({ name: 'gateway-test', version: '0.0.0' });
  let changes = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    changes += 1;
  });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return { client, transport, listChanged: () => changes };
}

/** A port that was just free on `host` (for a `publicUrl` known before the aggregator listens). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, host, () => done()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** The Redis every gateway test shares (started by `.ci/run` when it does not answer). */
export const REDIS_URL = 'redis://127.0.0.1:6379';
export const HOUR = 3_600_000;

/**
 * Plays the browser from an authorization URL up to the aggregator's callback and returns the
 * callback's query, without delivering it (so a test can deliver it to another instance).
 */
export async function callbackQuery(authorizationUrl: string, callbackPrefix: string): Promise<string> {
  let url = authorizationUrl;
  for (let hop = 0; hop < 10; hop += 1) {
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (location === null) throw new Error(`no redirect from ${url} (HTTP ${response.status})`);
    const next = new URL(location, url).href;
    if (next.startsWith(callbackPrefix)) return new URL(next).search;
    url = next;
  }
  throw new Error('too many redirects');
}
