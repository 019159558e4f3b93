import { describe, expect, it } from 'vitest';
import { ErrorCodes, isSecurityError } from '../errors.js';
import { jsonResponse, thrown } from '../testing.test-helper.js';
import type { HttpResponse } from '../types.js';
import {
  type AuthorizationServerExpectation,
  isEndpointField,
  processAuthorizationServerMetadataResponse,
} from './process-authorization-server.js';

const ATLASSIAN_URL = 'https://mcp.atlassian.com/.well-known/oauth-authorization-server';

function response(status: number, json: unknown, url = ATLASSIAN_URL): HttpResponse {
  return jsonResponse(url, status, json);
}

const atlassian = {
  issuer: 'https://cf.mcp.atlassian.com',
  authorization_endpoint: 'https://mcp.atlassian.com/v1/authorize',
  token_endpoint: 'https://cf.mcp.atlassian.com/v1/token',
  registration_endpoint: 'https://cf.mcp.atlassian.com/v1/register',
  response_types_supported: ['code'],
  code_challenge_methods_supported: ['plain', 'S256'],
};

const strict = (issuer: string): AuthorizationServerExpectation => ({ issuer, source: 'rfc8414' });

describe('processAuthorizationServerMetadataResponse: issuer check (RFC 8414 §3.3)', () => {
  it('exact: the document names the issuer the URL was built from', () => {
    const found = processAuthorizationServerMetadataResponse(
      strict('https://cf.mcp.atlassian.com'),
      response(200, atlassian),
    );
    expect(found).toEqual({
      issuer: 'https://cf.mcp.atlassian.com',
      metadataUrl: ATLASSIAN_URL,
      metadata: atlassian,
      issuerCheck: 'exact',
      source: 'rfc8414',
    });
  });

  it("exact: an origin-only issuer's trailing slash is not significant; the document's value is kept", () => {
    const found = processAuthorizationServerMetadataResponse(
      strict('https://cf.mcp.atlassian.com/'),
      response(200, atlassian),
    );
    expect(found.issuerCheck).toBe('exact');
    expect(found.issuer).toBe('https://cf.mcp.atlassian.com');
  });

  it('alias: a pinned accepted issuer (preset) is traced as alias', () => {
    const found = processAuthorizationServerMetadataResponse(
      {
        issuer: 'https://mcp.atlassian.com',
        acceptedIssuers: ['https://other.example', 'https://cf.mcp.atlassian.com'],
        source: 'preset:atlassian',
      },
      response(200, atlassian),
    );
    expect(found.issuerCheck).toBe('alias');
    expect(found.issuer).toBe('https://cf.mcp.atlassian.com');
    expect(found.source).toBe('preset:atlassian');
  });

  it('exact wins over alias when both apply', () => {
    const found = processAuthorizationServerMetadataResponse(
      {
        issuer: 'https://cf.mcp.atlassian.com',
        acceptedIssuers: ['https://cf.mcp.atlassian.com'],
        source: 's',
      },
      response(200, atlassian),
    );
    expect(found.issuerCheck).toBe('exact');
  });

  it('adopted: no issuer known (legacy origin fallback)', () => {
    const found = processAuthorizationServerMetadataResponse(
      { issuer: null, source: 'rfc8414' },
      response(200, atlassian),
    );
    expect(found.issuerCheck).toBe('adopted');
    expect(found.issuer).toBe('https://cf.mcp.atlassian.com');
  });

  it('alias before adoption when no issuer is known but aliases are pinned', () => {
    const found = processAuthorizationServerMetadataResponse(
      { issuer: null, acceptedIssuers: ['https://cf.mcp.atlassian.com'], source: 'preset:atlassian' },
      response(200, atlassian),
    );
    expect(found.issuerCheck).toBe('alias');
  });

  it('no issuer known and adoption disabled: only accepted issuers pass, else ISSUER_MISMATCH', () => {
    const error = thrown(
      () =>
        processAuthorizationServerMetadataResponse(
          {
            issuer: null,
            acceptedIssuers: ['https://mcp.atlassian.com'],
            source: 's',
            adoptWhenNoIssuer: false,
          },
          response(200, atlassian),
        ),
      ErrorCodes.ISSUER_MISMATCH,
    );
    expect(error.expected).toBe('https://mcp.atlassian.com');
    thrown(
      () =>
        processAuthorizationServerMetadataResponse(
          { issuer: null, source: 's', adoptWhenNoIssuer: false },
          response(200, atlassian),
        ),
      ErrorCodes.ISSUER_MISMATCH,
    );
  });

  it.each([
    [
      'a foreign host (Atlassian without preset)',
      'https://mcp.atlassian.com',
      'https://cf.mcp.atlassian.com',
    ],
    ['a dropped tenant path', 'https://auth.atlassian.com/tenant-1', 'https://auth.atlassian.com'],
    ['a path trailing slash', 'https://as.example/tenant/', 'https://as.example/tenant'],
    ['host case', 'https://AS.example', 'https://as.example'],
    ['a default port', 'https://as.example:443', 'https://as.example'],
  ])('ISSUER_MISMATCH for %s, never adopted when an issuer is expected', (_name, expected, actual) => {
    const error = thrown(
      () =>
        processAuthorizationServerMetadataResponse(
          { issuer: expected, source: 'rfc8414', adoptWhenNoIssuer: true },
          response(200, { ...atlassian, issuer: actual }),
        ),
      ErrorCodes.ISSUER_MISMATCH,
    );
    expect(error.expected).toBe(expected);
    expect(error.actual).toBe(actual);
    expect(error.url).toBe(ATLASSIAN_URL);
    expect(error.message).toContain(actual);
    expect(error.message).toContain(expected);
    expect(isSecurityError(error)).toBe(true);
  });

  it('ISSUER_MISMATCH lists every acceptable issuer', () => {
    const error = thrown(
      () =>
        processAuthorizationServerMetadataResponse(
          { issuer: 'https://a.example', acceptedIssuers: ['https://b.example'], source: 's' },
          response(200, atlassian),
        ),
      ErrorCodes.ISSUER_MISMATCH,
    );
    expect(error.expected).toEqual(['https://a.example', 'https://b.example']);
  });
});

describe('processAuthorizationServerMetadataResponse: status, schema, endpoints', () => {
  it.each([404, 403, 500])('HTTP %i → AUTHORIZATION_SERVER_METADATA_NOT_FOUND', (status) => {
    const error = thrown(
      () =>
        processAuthorizationServerMetadataResponse(strict('https://as.example'), response(status, undefined)),
      ErrorCodes.AUTHORIZATION_SERVER_METADATA_NOT_FOUND,
    );
    expect(error.actual).toBe(status);
    expect(error.url).toBe(ATLASSIAN_URL);
    expect(isSecurityError(error)).toBe(false);
  });

  it('a 2xx without a JSON body → INVALID_METADATA', () => {
    thrown(
      () =>
        processAuthorizationServerMetadataResponse(strict('https://as.example'), response(204, undefined)),
      ErrorCodes.INVALID_METADATA,
    );
  });

  it('schema violation → INVALID_METADATA with paths, before any issuer check', () => {
    const error = thrown(
      () =>
        processAuthorizationServerMetadataResponse(
          strict('https://as.example'),
          response(200, { token_endpoint: 'relative', grant_types_supported: [1] }),
        ),
      ErrorCodes.INVALID_METADATA,
    );
    expect(error.message).toContain('issuer:');
    expect(error.message).toContain('token_endpoint: must be an absolute URL');
    expect(error.message).toContain('grant_types_supported[0]:');
    expect((error.cause as Error).name).toBe('ZodError');
  });

  it('lists at most ten problems and counts the rest', () => {
    const grants = Array.from({ length: 12 }, () => 1);
    const error = thrown(
      () =>
        processAuthorizationServerMetadataResponse(
          strict('https://as.example'),
          response(200, { issuer: 'https://as.example', grant_types_supported: grants }),
        ),
      ErrorCodes.INVALID_METADATA,
    );
    expect(error.message).toContain('grant_types_supported[9]');
    expect(error.message).not.toContain('grant_types_supported[10]');
    expect(error.message).toContain('and 2 more');
  });

  it.each([
    'authorization_endpoint',
    'token_endpoint',
    'registration_endpoint',
    'jwks_uri',
    'revocation_endpoint',
    'introspection_endpoint',
    'userinfo_endpoint',
    'end_session_endpoint',
    'pushed_authorization_request_endpoint',
    'device_authorization_endpoint',
  ])('http %s on a public host → INSECURE_URL naming the field', (field) => {
    const error = thrown(
      () =>
        processAuthorizationServerMetadataResponse(
          strict('https://cf.mcp.atlassian.com'),
          response(200, { ...atlassian, [field]: 'http://cf.mcp.atlassian.com/x' }),
        ),
      ErrorCodes.INSECURE_URL,
    );
    expect(error.message).toContain(field);
    expect(error.actual).toBe('http://cf.mcp.atlassian.com/x');
    expect(isSecurityError(error)).toBe(true);
  });

  it('a javascript: endpoint → INSECURE_URL', () => {
    thrown(
      () =>
        processAuthorizationServerMetadataResponse(
          strict('https://cf.mcp.atlassian.com'),
          response(200, { ...atlassian, authorization_endpoint: 'javascript:alert(1)' }),
        ),
      ErrorCodes.INSECURE_URL,
    );
  });

  it('an http issuer on a public host → INSECURE_URL naming issuer', () => {
    const error = thrown(
      () =>
        processAuthorizationServerMetadataResponse(
          strict('http://as.example'),
          response(200, { issuer: 'http://as.example' }),
        ),
      ErrorCodes.INSECURE_URL,
    );
    expect(error.message).toContain('issuer');
  });

  it('a relative unknown *_endpoint → INVALID_METADATA', () => {
    const error = thrown(
      () =>
        processAuthorizationServerMetadataResponse(
          strict('https://cf.mcp.atlassian.com'),
          response(200, { ...atlassian, backchannel_authentication_endpoint: '/bc' }),
        ),
      ErrorCodes.INVALID_METADATA,
    );
    expect(error.message).toContain('backchannel_authentication_endpoint');
  });

  it('accepts loopback http endpoints and ignores non-string unknown *_endpoint fields', () => {
    const document = {
      issuer: 'http://127.0.0.3:4000',
      authorization_endpoint: 'http://127.0.0.3:4000/authorize',
      token_endpoint: 'http://localhost:4000/token',
      jwks_uri: 'http://[::1]:4000/jwks',
      custom_endpoint: { not: 'a url' },
    };
    const found = processAuthorizationServerMetadataResponse(
      strict('http://127.0.0.3:4000/'),
      response(200, document),
    );
    expect(found.metadata).toEqual(document);
    expect(found.issuerCheck).toBe('exact');
  });
});

describe('isEndpointField', () => {
  it.each([
    ['token_endpoint', true],
    ['jwks_uri', true],
    ['device_authorization_endpoint', true],
    ['service_documentation', false],
    ['mtls_endpoint_aliases', false],
    ['issuer', false],
  ])('%s → %s', (field, expected) => {
    expect(isEndpointField(field)).toBe(expected);
  });
});
