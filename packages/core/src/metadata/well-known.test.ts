import { describe, expect, it } from 'vitest';
import { DiscoveryError, ErrorCodes } from '../errors.js';
import {
  authorizationServerMetadataUrls,
  oauthMetadataUrl,
  oidcMetadataUrls,
  protectedResourceMetadataUrls,
} from './well-known.js';

function invalidUrl(run: () => unknown): DiscoveryError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as DiscoveryError).code).toBe(ErrorCodes.INVALID_URL);
    return error as DiscoveryError;
  }
  throw new Error('expected INVALID_URL, nothing was thrown');
}

describe('protectedResourceMetadataUrls (RFC 9728 §3.1)', () => {
  it.each([
    [
      'the RFC 9728 §3.1 example',
      'https://resource.example.com/resource1',
      'https://resource.example.com/.well-known/oauth-protected-resource/resource1',
      'https://resource.example.com/.well-known/oauth-protected-resource',
    ],
    [
      'GitHub (trailing slash kept)',
      'https://api.githubcopilot.com/mcp/',
      'https://api.githubcopilot.com/.well-known/oauth-protected-resource/mcp/',
      'https://api.githubcopilot.com/.well-known/oauth-protected-resource',
    ],
    [
      'Atlassian v1',
      'https://mcp.atlassian.com/v1/mcp',
      'https://mcp.atlassian.com/.well-known/oauth-protected-resource/v1/mcp',
      'https://mcp.atlassian.com/.well-known/oauth-protected-resource',
    ],
    [
      'a query (kept on the path-aware URL only)',
      'https://x.example/mcp?tenant=a',
      'https://x.example/.well-known/oauth-protected-resource/mcp?tenant=a',
      'https://x.example/.well-known/oauth-protected-resource',
    ],
    [
      'a query without a path',
      'https://x.example/?tenant=a',
      'https://x.example/.well-known/oauth-protected-resource?tenant=a',
      'https://x.example/.well-known/oauth-protected-resource',
    ],
    [
      'a loopback port and a fragment',
      'http://127.0.0.2:8080/mcp#frag',
      'http://127.0.0.2:8080/.well-known/oauth-protected-resource/mcp',
      'http://127.0.0.2:8080/.well-known/oauth-protected-resource',
    ],
    [
      'host case and default port normalised',
      'HTTPS://X.Example:443/Mcp',
      'https://x.example/.well-known/oauth-protected-resource/Mcp',
      'https://x.example/.well-known/oauth-protected-resource',
    ],
  ])('%s', (_name, resource, pathAware, root) => {
    expect(protectedResourceMetadataUrls(resource)).toEqual({ pathAware, root });
  });

  it.each(['https://x.example', 'https://x.example/', 'https://x.example/#a'])(
    'has no path-aware URL for %s',
    (resource) => {
      expect(protectedResourceMetadataUrls(resource)).toEqual({
        pathAware: null,
        root: 'https://x.example/.well-known/oauth-protected-resource',
      });
    },
  );

  it('accepts a URL object', () => {
    expect(protectedResourceMetadataUrls(new URL('https://x.example/a')).pathAware).toBe(
      'https://x.example/.well-known/oauth-protected-resource/a',
    );
  });

  it.each(['x.example/mcp', 'urn:example:mcp', 'ftp://x.example/mcp'])(
    'throws INVALID_URL for %s',
    (resource) => {
      expect(invalidUrl(() => protectedResourceMetadataUrls(resource)).url).toBe(resource);
    },
  );
});

describe('authorizationServerMetadataUrls (MCP 2025-11-25 order)', () => {
  it('RFC 8414 §3.1 example issuer with a path: oauth insertion, OIDC insertion, OIDC appending', () => {
    expect(authorizationServerMetadataUrls('https://example.com/issuer1')).toEqual([
      { url: 'https://example.com/.well-known/oauth-authorization-server/issuer1', kind: 'oauth' },
      { url: 'https://example.com/.well-known/openid-configuration/issuer1', kind: 'oidc-insert' },
      { url: 'https://example.com/issuer1/.well-known/openid-configuration', kind: 'oidc-append' },
    ]);
  });

  it('origin-only issuer: oauth, then OIDC', () => {
    expect(authorizationServerMetadataUrls('https://example.com')).toEqual([
      { url: 'https://example.com/.well-known/oauth-authorization-server', kind: 'oauth' },
      { url: 'https://example.com/.well-known/openid-configuration', kind: 'oidc-append' },
    ]);
    expect(authorizationServerMetadataUrls('https://example.com/')).toEqual(
      authorizationServerMetadataUrls('https://example.com'),
    );
  });

  it('GitHub: path-inserted oauth URL', () => {
    expect(authorizationServerMetadataUrls('https://github.com/login/oauth').map((c) => c.url)).toEqual([
      'https://github.com/.well-known/oauth-authorization-server/login/oauth',
      'https://github.com/.well-known/openid-configuration/login/oauth',
      'https://github.com/login/oauth/.well-known/openid-configuration',
    ]);
  });

  it('Keycloak realm: appending comes last', () => {
    expect(authorizationServerMetadataUrls('https://kc.example/realms/x').map((c) => c.url)).toEqual([
      'https://kc.example/.well-known/oauth-authorization-server/realms/x',
      'https://kc.example/.well-known/openid-configuration/realms/x',
      'https://kc.example/realms/x/.well-known/openid-configuration',
    ]);
  });

  it('Entra tenant v2.0 issuer', () => {
    const issuer = 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0';
    expect(oidcMetadataUrls(issuer)).toEqual([
      {
        url: 'https://login.microsoftonline.com/.well-known/openid-configuration/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
        kind: 'oidc-insert',
      },
      {
        url: 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0/.well-known/openid-configuration',
        kind: 'oidc-append',
      },
    ]);
  });

  it('Atlassian tenant path issuer is never looked up at the root', () => {
    const urls = authorizationServerMetadataUrls('https://auth.atlassian.com/tenant-42').map((c) => c.url);
    expect(urls[0]).toBe('https://auth.atlassian.com/.well-known/oauth-authorization-server/tenant-42');
    expect(urls).not.toContain('https://auth.atlassian.com/.well-known/oauth-authorization-server');
    expect(urls).not.toContain('https://auth.atlassian.com/.well-known/openid-configuration');
  });

  it('removes the terminating slash of a path issuer before inserting or appending', () => {
    expect(authorizationServerMetadataUrls('https://as.example/tenant/').map((c) => c.url)).toEqual([
      'https://as.example/.well-known/oauth-authorization-server/tenant',
      'https://as.example/.well-known/openid-configuration/tenant',
      'https://as.example/tenant/.well-known/openid-configuration',
    ]);
  });

  it('keeps a loopback port', () => {
    expect(oauthMetadataUrl('http://127.0.0.3:9000/t')).toBe(
      'http://127.0.0.3:9000/.well-known/oauth-authorization-server/t',
    );
  });

  it.each([
    'as.example',
    'mailto:a@as.example',
    'https://as.example/?tenant=1',
    'https://as.example/t#x',
    'https://as.example/t?',
  ])('throws INVALID_URL for issuer %s', (issuer) => {
    expect(invalidUrl(() => authorizationServerMetadataUrls(issuer)).url).toBe(issuer);
    invalidUrl(() => oauthMetadataUrl(issuer));
    invalidUrl(() => oidcMetadataUrls(issuer));
  });
});
