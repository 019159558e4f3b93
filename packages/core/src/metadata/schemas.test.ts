import { describe, expect, it } from 'vitest';
import {
  authorizationServerMetadataSchema,
  endpointUrl,
  protectedResourceMetadataSchema,
} from './schemas.js';

function issuePaths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  return (result.error?.issues ?? []).map((issue) => issue.path.join('.'));
}

describe('protectedResourceMetadataSchema', () => {
  it('accepts the RFC 9728 §2 fields and keeps unknown ones', () => {
    const document = {
      resource: 'https://api.githubcopilot.com/mcp/',
      authorization_servers: ['https://github.com/login/oauth'],
      jwks_uri: 'https://api.githubcopilot.com/jwks.json',
      scopes_supported: ['repo', 'read:org'],
      bearer_methods_supported: ['header'],
      resource_signing_alg_values_supported: ['RS256'],
      resource_name: 'GitHub MCP Server',
      resource_documentation: 'https://docs.github.com',
      resource_policy_uri: 'not even a URL',
      resource_tos_uri: 'https://github.com/tos',
      tls_client_certificate_bound_access_tokens: false,
      authorization_details_types_supported: ['payment'],
      dpop_signing_alg_values_supported: ['ES256'],
      dpop_bound_access_tokens_required: false,
      x_vendor_extension: { nested: [1, 2] },
    };
    const parsed = protectedResourceMetadataSchema.parse(document);
    expect(parsed).toEqual(document);
    expect(parsed.x_vendor_extension).toEqual({ nested: [1, 2] });
  });

  it('requires resource', () => {
    const result = protectedResourceMetadataSchema.safeParse({ authorization_servers: [] });
    expect(issuePaths(result)).toEqual(['resource']);
  });

  it.each([
    ['a relative resource', { resource: '/mcp' }, ['resource']],
    ['a resource with a fragment', { resource: 'https://x.example/mcp#frag' }, ['resource']],
    [
      'a relative authorization server',
      { resource: 'https://x.example/', authorization_servers: ['as.example'] },
      ['authorization_servers.0'],
    ],
    [
      'an authorization server with a query',
      { resource: 'https://x.example/', authorization_servers: ['https://as.example/?a=1'] },
      ['authorization_servers.0'],
    ],
    [
      'a string as authorization_servers',
      { resource: 'https://x.example/', authorization_servers: 'https://as.example' },
      ['authorization_servers'],
    ],
    [
      'a number in scopes_supported',
      { resource: 'https://x.example/', scopes_supported: ['a', 2] },
      ['scopes_supported.1'],
    ],
    ['a relative jwks_uri', { resource: 'https://x.example/', jwks_uri: 'jwks.json' }, ['jwks_uri']],
    [
      'a string boolean',
      { resource: 'https://x.example/', dpop_bound_access_tokens_required: 'true' },
      ['dpop_bound_access_tokens_required'],
    ],
  ])('rejects %s', (_name, document, paths) => {
    expect(issuePaths(protectedResourceMetadataSchema.safeParse(document))).toEqual(paths);
  });

  it('rejects a document that is not an object', () => {
    expect(protectedResourceMetadataSchema.safeParse(['https://x.example/']).success).toBe(false);
  });
});

describe('authorizationServerMetadataSchema', () => {
  const atlassian = {
    issuer: 'https://cf.mcp.atlassian.com',
    authorization_endpoint: 'https://mcp.atlassian.com/v1/authorize',
    token_endpoint: 'https://cf.mcp.atlassian.com/v1/token',
    registration_endpoint: 'https://cf.mcp.atlassian.com/v1/register',
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    code_challenge_methods_supported: ['plain', 'S256'],
  };

  it('accepts a real document (Atlassian, docs/provider-quirks.md)', () => {
    expect(authorizationServerMetadataSchema.parse(atlassian)).toEqual(atlassian);
  });

  it('accepts every RFC 8414 / OIDC field and keeps unknown ones', () => {
    const document = {
      ...atlassian,
      jwks_uri: 'https://as.example/jwks',
      scopes_supported: ['openid'],
      response_modes_supported: ['query'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256'],
      service_documentation: 'https://as.example/docs',
      ui_locales_supported: ['en'],
      op_policy_uri: 'https://as.example/policy',
      op_tos_uri: 'https://as.example/tos',
      revocation_endpoint: 'https://as.example/revoke',
      introspection_endpoint: 'https://as.example/introspect',
      authorization_response_iss_parameter_supported: true,
      client_id_metadata_document_supported: true,
      userinfo_endpoint: 'https://as.example/userinfo',
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      end_session_endpoint: 'https://as.example/logout',
      pushed_authorization_request_endpoint: 'https://as.example/par',
      mtls_endpoint_aliases: { token_endpoint: 'https://mtls.as.example/token' },
    };
    expect(authorizationServerMetadataSchema.parse(document)).toEqual(document);
  });

  it('accepts a document without response_types_supported (real servers omit it)', () => {
    const { response_types_supported: _omitted, ...document } = atlassian;
    expect(authorizationServerMetadataSchema.safeParse(document).success).toBe(true);
  });

  it.each([
    ['a missing issuer', { token_endpoint: 'https://as.example/token' }, ['issuer']],
    ['a relative issuer', { issuer: 'as.example' }, ['issuer']],
    ['an issuer with a query', { issuer: 'https://as.example?tenant=1' }, ['issuer']],
    ['an issuer with a fragment', { issuer: 'https://as.example/#x' }, ['issuer']],
    [
      'a relative token_endpoint',
      { issuer: 'https://as.example', token_endpoint: '/token' },
      ['token_endpoint'],
    ],
    [
      'a numeric registration_endpoint',
      { issuer: 'https://as.example', registration_endpoint: 7 },
      ['registration_endpoint'],
    ],
    [
      'a string in place of a list',
      { issuer: 'https://as.example', code_challenge_methods_supported: 'S256' },
      ['code_challenge_methods_supported'],
    ],
    [
      'a non-boolean flag',
      { issuer: 'https://as.example', client_id_metadata_document_supported: 1 },
      ['client_id_metadata_document_supported'],
    ],
  ])('rejects %s', (_name, document, paths) => {
    expect(issuePaths(authorizationServerMetadataSchema.safeParse(document))).toEqual(paths);
  });
});

describe('endpointUrl', () => {
  it('accepts any absolute URL (the HTTPS rule is applied by the process functions)', () => {
    expect(endpointUrl.safeParse('http://as.example/token').success).toBe(true);
    expect(endpointUrl.safeParse('https://as.example/token').success).toBe(true);
  });

  it('rejects relative and empty strings', () => {
    expect(endpointUrl.safeParse('/token').success).toBe(false);
    expect(endpointUrl.safeParse('').success).toBe(false);
  });
});
