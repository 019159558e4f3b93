import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, isSecurityError } from '../errors.js';
import { createHttpClient, type SafeHttpClient } from '../http/client.js';
import { rejection } from '../testing.test-helper.js';
import { fetchAuthorizationServerMetadata, fetchResourceMetadata } from './fetch.js';
import { authorizationServerMetadataUrls, protectedResourceMetadataUrls } from './well-known.js';

interface Route {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** A real HTTP server on a loopback address answering from a route table filled per test. */
async function startServer(
  host: string,
): Promise<{ server: Server; origin: string; routes: Map<string, Route> }> {
  const routes = new Map<string, Route>();
  const server = createServer((request, response) => {
    const route = routes.get(request.url ?? '') ?? { status: 404, body: { error: 'not_found' } };
    const body = typeof route.body === 'string' ? route.body : JSON.stringify(route.body ?? {});
    response.writeHead(route.status, { 'content-type': 'application/json', ...route.headers });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://${host}:${port}`, routes };
}

describe('fetchResourceMetadata / fetchAuthorizationServerMetadata over real loopback HTTP', () => {
  let rs: Awaited<ReturnType<typeof startServer>>;
  let as: Awaited<ReturnType<typeof startServer>>;
  let http: SafeHttpClient;

  beforeAll(async () => {
    rs = await startServer('127.0.0.1');
    as = await startServer('127.0.0.2');
    http = createHttpClient({ allowPrivateNetwork: true });
  });

  afterAll(async () => {
    await http.close();
    for (const { server } of [rs, as]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('finds PRM at the path-aware URL and checks its resource', async () => {
    const resource = `${rs.origin}/mcp/`;
    const document = {
      resource: `${rs.origin}/mcp`,
      authorization_servers: [`${as.origin}/tenant`],
      extra: 1,
    };
    rs.routes.set('/.well-known/oauth-protected-resource/mcp/', { status: 200, body: document });
    const { pathAware } = protectedResourceMetadataUrls(resource);
    const found = await fetchResourceMetadata(http, pathAware ?? '', resource);
    expect(found).toEqual({ url: `${rs.origin}/.well-known/oauth-protected-resource/mcp/`, document });
  });

  it('a 404 is RESOURCE_METADATA_NOT_FOUND (a miss, not a security error)', async () => {
    const error = await rejection(
      fetchResourceMetadata(
        http,
        `${rs.origin}/.well-known/oauth-protected-resource/nothing`,
        `${rs.origin}/nothing`,
      ),
      ErrorCodes.RESOURCE_METADATA_NOT_FOUND,
    );
    expect(error.actual).toBe(404);
    expect(isSecurityError(error)).toBe(false);
  });

  it('PRM for another resource is RESOURCE_MISMATCH', async () => {
    rs.routes.set('/.well-known/oauth-protected-resource', {
      status: 200,
      body: { resource: `${rs.origin}/other` },
    });
    const error = await rejection(
      fetchResourceMetadata(http, `${rs.origin}/.well-known/oauth-protected-resource`, `${rs.origin}/mcp`),
      ErrorCodes.RESOURCE_MISMATCH,
    );
    expect(isSecurityError(error)).toBe(true);
  });

  it('transport errors from the client pass through unchanged (non-JSON 2xx)', async () => {
    rs.routes.set('/.well-known/oauth-protected-resource/html', {
      status: 200,
      body: '<html></html>',
      headers: { 'content-type': 'text/html' },
    });
    await rejection(
      fetchResourceMetadata(
        http,
        `${rs.origin}/.well-known/oauth-protected-resource/html`,
        `${rs.origin}/html`,
      ),
      ErrorCodes.UNEXPECTED_CONTENT_TYPE,
    );
  });

  it('finds AS metadata at the path-inserted URL with an exact issuer', async () => {
    const issuer = `${as.origin}/tenant`;
    const document = {
      issuer,
      authorization_endpoint: `${as.origin}/tenant/authorize`,
      token_endpoint: `${as.origin}/tenant/token`,
      code_challenge_methods_supported: ['S256'],
    };
    as.routes.set('/.well-known/oauth-authorization-server/tenant', { status: 200, body: document });
    const [first] = authorizationServerMetadataUrls(issuer);
    const found = await fetchAuthorizationServerMetadata(http, first?.url ?? '', {
      issuer,
      source: 'rfc8414',
    });
    expect(found).toEqual({
      issuer,
      metadataUrl: `${as.origin}/.well-known/oauth-authorization-server/tenant`,
      metadata: document,
      issuerCheck: 'exact',
      source: 'rfc8414',
    });
  });

  it('reports the final URL after a same-origin redirect as metadataUrl', async () => {
    as.routes.set('/.well-known/openid-configuration/moved', {
      status: 302,
      headers: { location: '/moved/.well-known/openid-configuration' },
    });
    as.routes.set('/moved/.well-known/openid-configuration', {
      status: 200,
      body: { issuer: `${as.origin}/moved` },
    });
    const found = await fetchAuthorizationServerMetadata(
      http,
      `${as.origin}/.well-known/openid-configuration/moved`,
      {
        issuer: `${as.origin}/moved`,
        source: 'oidc',
      },
    );
    expect(found.metadataUrl).toBe(`${as.origin}/moved/.well-known/openid-configuration`);
  });

  it('a foreign issuer is ISSUER_MISMATCH; with no expected issuer it is adopted', async () => {
    as.routes.set('/.well-known/oauth-authorization-server', {
      status: 200,
      body: {
        issuer: 'https://cf.mcp.atlassian.com',
        token_endpoint: 'https://cf.mcp.atlassian.com/v1/token',
      },
    });
    const url = `${as.origin}/.well-known/oauth-authorization-server`;
    const error = await rejection(
      fetchAuthorizationServerMetadata(http, url, { issuer: as.origin, source: 'rfc8414' }),
      ErrorCodes.ISSUER_MISMATCH,
    );
    expect(error.url).toBe(url);
    expect(isSecurityError(error)).toBe(true);

    const adopted = await fetchAuthorizationServerMetadata(http, url, { issuer: null, source: 'rfc8414' });
    expect(adopted.issuerCheck).toBe('adopted');
    expect(adopted.issuer).toBe('https://cf.mcp.atlassian.com');
  });

  it('a 404 is AUTHORIZATION_SERVER_METADATA_NOT_FOUND', async () => {
    const error = await rejection(
      fetchAuthorizationServerMetadata(http, `${as.origin}/.well-known/oauth-authorization-server/none`, {
        issuer: `${as.origin}/none`,
        source: 'rfc8414',
      }),
      ErrorCodes.AUTHORIZATION_SERVER_METADATA_NOT_FOUND,
    );
    expect(error.actual).toBe(404);
  });
});
