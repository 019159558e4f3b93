import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { createHttpClient } from '@oauth-discovery/core/http';
import { startWorld, type World } from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeResult } from '../../test/helpers.js';
import { engineConfiguration } from '../engine/configuration.js';
import { refreshTokens } from '../engine/refresh.js';
import { FlowErrorCodes } from '../error-codes.js';
import { refreshStoredTokens } from '../flow.js';
import { issuerBinding } from '../store/binding.js';
import { createMemoryStore } from '../store/memory-store.js';
import { resolveClient } from './registration.js';

const http = createHttpClient();
const init = { allowAddressRanges: ['loopback'] } as const;
const REDIRECT = 'http://127.0.0.1:8976/callback';
let world: World;
const registrations: unknown[] = [];

beforeAll(async () => {
  world = await startWorld({
    origins: {
      as: {
        routes: {
          '/token/ok': {
            json: {
              access_token: 'at',
              token_type: 'bearer',
              expires_in: 3600,
              refresh_token: 'rt',
              scope: 'read',
            },
          },
          '/token/no-refresh': { json: { access_token: 'at2', token_type: 'Bearer' } },
          '/token/invalid-grant': {
            status: 400,
            json: { error: 'invalid_grant', error_description: 'code expired' },
          },
          '/token/500': { status: 500, body: 'oops' },
          '/token/dpop': { json: { access_token: 'at', token_type: 'DPoP' } },
          '/token/no-type': { json: { access_token: 'secret-at', refresh_token: 'secret-rt' } },
          '/token/empty': { json: { token_type: 'Bearer' } },
          '/register': {
            method: 'POST',
            handler: (req, res) => {
              let body = '';
              req.on('data', (chunk: Buffer) => {
                body += chunk.toString();
              });
              req.on('end', () => {
                registrations.push(JSON.parse(body));
                res.writeHead(201, { 'content-type': 'application/json' });
                res.end(
                  JSON.stringify({
                    client_id: `dyn-${registrations.length}`,
                    redirect_uris: [REDIRECT],
                    token_endpoint_auth_method: 'none',
                  }),
                );
              });
            },
          },
          '/register-refused': {
            status: 422,
            json: { error: 'invalid_client_metadata', error_description: 'registration disabled' },
          },
          '/register-garbage': { status: 201, json: { hello: 'world' } },
        },
      },
    },
  });
});
afterAll(async () => {
  await world.close();
  await http.close();
});

/** A refresh at `path` of the test server, through the engine (the stored tokens are only returned). */
function refreshAt(path: string, options: { now?: number; scope?: string } = {}) {
  const result = fakeResult({
    resource: world.url('as', '/mcp'),
    issuer: world.origin('as'),
    metadata: { token_endpoint: world.url('as', path) },
    hints: { omitResourceParameter: true },
  });
  return refreshTokens(
    engineConfiguration(result, { clientId: 'c' }, { http, init }),
    result,
    {
      accessToken: 'old-at',
      tokenType: 'Bearer',
      refreshToken: 'old-rt',
      obtainedAt: 1,
      scope: options.scope,
    },
    { save: async (tokens) => tokens },
    { now: options.now },
  );
}

describe('token responses (engine)', () => {
  it('reads a token response into stored tokens with an absolute expiry', async () => {
    const tokens = await refreshAt('/token/ok', { now: 1_000 });
    expect(tokens).toEqual({
      accessToken: 'at',
      tokenType: 'Bearer',
      refreshToken: 'rt',
      expiresAt: 1_000 + 3_600_000,
      scope: 'read',
      obtainedAt: 1_000,
    });
  });

  it('keeps the previous refresh token and the requested scope when the server sends none', async () => {
    const tokens = await refreshAt('/token/no-refresh', { scope: 'a b' });
    expect(tokens.refreshToken).toBe('old-rt');
    expect(tokens.scope).toBe('a b');
  });

  it.each([
    ['an OAuth error', '/token/invalid-grant', 'invalid_grant (code expired), HTTP 400'],
    ['a 500 without an OAuth body', '/token/500', 'HTTP 500 without an OAuth error body'],
    ['a non-Bearer token', '/token/dpop', 'DPoP'],
    ['no access_token', '/token/empty', 'access_token'],
  ])('fails with TOKEN_REQUEST_FAILED on %s', async (_name, path, text) => {
    const error = await refreshAt(path).catch((e: unknown) => e);
    expect(isDiscoveryError(error, FlowErrorCodes.TOKEN_REQUEST_FAILED)).toBe(true);
    expect((error as Error).message).toContain(text);
  });

  it('keeps the credentials of a malformed token response out of the error', async () => {
    const error = await refreshAt('/token/no-type').catch((e: unknown) => e);
    expect(isDiscoveryError(error, FlowErrorCodes.TOKEN_REQUEST_FAILED)).toBe(true);
    expect((error as { actual?: unknown }).actual).toEqual({
      access_token: '[redacted]',
      refresh_token: '[redacted]',
    });
    expect(JSON.stringify(error) + String(error)).not.toContain('secret-');
  });

  it('exposes the OAuth error code for callers', async () => {
    const error = await refreshAt('/token/invalid-grant').catch((e: unknown) => e);
    expect(isDiscoveryError(error) ? error.actual : undefined).toEqual({
      status: 400,
      error: 'invalid_grant',
      error_description: 'code expired',
    });
  });
});

describe('resolveClient (MCP registration order)', () => {
  const result = (metadata: Record<string, unknown> = {}, hints = {}) =>
    fakeResult({
      resource: world.url('as', '/mcp'),
      issuer: world.origin('as'),
      metadata: { registration_endpoint: world.url('as', '/register'), ...metadata },
      hints,
    });
  const ctx = (r: ReturnType<typeof result>, options = {}, store = createMemoryStore()) => ({
    result: r,
    store,
    http,
    init,
    redirectUri: REDIRECT,
    scope: 'read',
    options,
  });

  it('takes a pre-registered client id first and stores it for the issuer', async () => {
    const store = createMemoryStore();
    const { client } = await resolveClient(ctx(result(), { clientId: 'pre', clientSecret: 'sec' }, store));
    expect(client).toMatchObject({ clientId: 'pre', clientSecret: 'sec', source: 'preregistered' });
    expect((await store.readClient(issuerBinding(result().authorizationServer)))?.clientId).toBe('pre');
  });

  it('uses a client ID metadata document URL when the server supports it', async () => {
    const url = 'https://client.example/oauth/metadata.json';
    const { client } = await resolveClient(
      ctx(result({ client_id_metadata_document_supported: true }), { clientMetadataUrl: url }),
    );
    expect(client).toMatchObject({ clientId: url, source: 'metadata-document' });
  });

  it('skips the metadata document when the server does not support it, and registers dynamically', async () => {
    const before = registrations.length;
    const store = createMemoryStore();
    const first = await resolveClient(
      ctx(result(), { clientMetadataUrl: 'https://client.example/m.json' }, store),
    );
    expect(first).toMatchObject({ fresh: true, client: { source: 'dynamic', redirectUris: [REDIRECT] } });
    expect(registrations.length).toBe(before + 1);
    expect(registrations.at(-1)).toMatchObject({
      redirect_uris: [REDIRECT],
      scope: 'read',
      token_endpoint_auth_method: 'none',
      application_type: 'native',
    });
    // The registration is kept per issuer and reused.
    const second = await resolveClient(ctx(result(), {}, store));
    expect(second).toEqual({ fresh: false, client: first.client });
    expect(registrations.length).toBe(before + 1);
  });

  it('prefers an offered metadata document to a stored dynamic registration or another document', async () => {
    const store = createMemoryStore();
    const supported = result({ client_id_metadata_document_supported: true });
    await store.writeClient(issuerBinding(supported.authorizationServer), {
      clientId: 'dyn-old',
      source: 'dynamic',
      redirectUris: [REDIRECT],
      registeredAt: 1,
    });
    const url = 'https://client.example/oauth/metadata.json';
    const first = await resolveClient(ctx(supported, { clientMetadataUrl: url }, store));
    expect(first.client).toMatchObject({ clientId: url, source: 'metadata-document' });
    // Stored, it is reused; a different document URL replaces it.
    expect((await resolveClient(ctx(supported, {}, store))).fresh).toBe(false);
    const other = 'https://client.example/oauth/v2.json';
    expect((await resolveClient(ctx(supported, { clientMetadataUrl: other }, store))).client.clientId).toBe(
      other,
    );
  });

  it('refuses a metadata document URL that is not https with a path', async () => {
    const error = await resolveClient(
      ctx(result({ client_id_metadata_document_supported: true }), {
        clientMetadataUrl: 'https://client.example/',
      }),
    ).catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.INVALID_CONFIG)).toBe(true);
  });

  it.each([
    ['registration refused (422)', { registration_endpoint: undefined }, {}, 'register-refused'],
    ['no registration endpoint', { registration_endpoint: undefined }, {}, undefined],
    [
      'a preset saying a pre-registered client is required',
      {},
      { requiresPreregisteredClient: true },
      undefined,
    ],
    ['a garbage registration response', {}, {}, 'register-garbage'],
  ])(
    'fails with REGISTRATION_REFUSED telling to pass --client-id: %s',
    async (_name, metadata, hints, endpoint) => {
      const before = registrations.length;
      const md =
        endpoint === undefined ? metadata : { registration_endpoint: world.url('as', `/${endpoint}`) };
      const error = await resolveClient(ctx(result(md, hints))).catch((e: unknown) => e);
      expect(isDiscoveryError(error, FlowErrorCodes.REGISTRATION_REFUSED)).toBe(true);
      expect((error as Error).message).toContain('--client-id');
      expect(registrations.length).toBe(before);
    },
  );

  it('sends the DCR fields a preset says the provider requires (never its redirect URIs)', async () => {
    const fields = {
      client_name: 'MCP client',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['https://evil.test/cb'],
    };
    await resolveClient(ctx(result({}, { registrationFields: fields })));
    expect(registrations.at(-1)).toMatchObject({
      client_name: 'MCP client',
      token_endpoint_auth_method: 'none',
      redirect_uris: [REDIRECT],
    });
  });

  it('prefers DCR to an advertised CIMD when a preset says so (Linear), CIMD otherwise', async () => {
    const url = 'https://client.example/oauth/metadata.json';
    const both = { client_id_metadata_document_supported: true };
    const cimd = await resolveClient(ctx(result(both), { clientMetadataUrl: url }));
    expect(cimd.client.source).toBe('metadata-document');
    const dcr = await resolveClient(
      ctx(result(both, { preferredRegistration: 'dcr' }), { clientMetadataUrl: url }),
    );
    expect(dcr.client.source).toBe('dynamic');
  });

  it("REGISTRATION_REFUSED ends with the preset's word on where to create the client", async () => {
    const where = 'Create a Slack app at https://api.slack.com/apps.';
    const error = await resolveClient(
      ctx(result({ registration_endpoint: undefined }, { preregisteredClientMessage: where })),
    ).catch((e: unknown) => e);
    expect(isDiscoveryError(error, FlowErrorCodes.REGISTRATION_REFUSED)).toBe(true);
    expect((error as Error).message.endsWith(` ${where}`)).toBe(true);
  });

  it('uses a client id from a preset hint before dynamic registration', async () => {
    const before = registrations.length;
    const { client } = await resolveClient(ctx(result({}, { clientId: 'hinted' })));
    expect(client).toMatchObject({ clientId: 'hinted', source: 'preregistered' });
    expect(registrations.length).toBe(before);
  });
});

describe('refreshStoredTokens', () => {
  const stored = { accessToken: 'old-at', tokenType: 'Bearer', refreshToken: 'old-rt', obtainedAt: 1 };
  async function refreshAt(path: string) {
    const result = fakeResult({
      resource: world.url('as', '/mcp'),
      issuer: world.origin('as'),
      metadata: { token_endpoint: world.url('as', path) },
    });
    const store = createMemoryStore();
    const key = { resource: result.resource, issuer: result.authorizationServer.issuer };
    await store.writeClient(issuerBinding(result.authorizationServer), {
      clientId: 'c',
      source: 'preregistered',
      registeredAt: 1,
    });
    await store.writeTokens(key, stored);
    const events: string[] = [];
    const error = await refreshStoredTokens(
      { result, store, http, init, client: {}, frontChannel: {}, emit: (e) => events.push(e.type) },
      stored,
    ).catch((e: unknown) => e);
    return { error, kept: await store.readTokens(key), events };
  }

  it('marks the stored tokens when the server refuses (4xx), keeping the refresh token', async () => {
    const { error, kept, events } = await refreshAt('/token/invalid-grant');
    expect(isDiscoveryError(error, FlowErrorCodes.TOKEN_REQUEST_FAILED)).toBe(true);
    expect(kept).toMatchObject({ refreshToken: 'old-rt', refreshFailed: { error: 'invalid_grant' } });
    expect(events).toEqual(['refresh-failed']);
  });

  it('leaves the store untouched on a server error (5xx), so the refresh token is tried again', async () => {
    const { error, kept, events } = await refreshAt('/token/500');
    expect(isDiscoveryError(error, FlowErrorCodes.TOKEN_REQUEST_FAILED)).toBe(true);
    expect(kept).toEqual(stored);
    expect(events).toEqual([]);
  });
});
