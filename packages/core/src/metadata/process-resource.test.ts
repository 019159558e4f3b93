import { describe, expect, it } from 'vitest';
import { ErrorCodes, isSecurityError } from '../errors.js';
import { jsonResponse, thrown } from '../testing.test-helper.js';
import type { HttpResponse } from '../types.js';
import { processResourceMetadataResponse } from './process-resource.js';

const PRM_URL = 'https://api.githubcopilot.com/.well-known/oauth-protected-resource/mcp/';

function response(status: number, json: unknown, url = PRM_URL): HttpResponse {
  return jsonResponse(url, status, json);
}

const github = {
  resource: 'https://api.githubcopilot.com/mcp/',
  authorization_servers: ['https://github.com/login/oauth'],
  scopes_supported: ['repo'],
  x_extra: true,
};

describe('processResourceMetadataResponse', () => {
  it('returns the document (unknown fields kept) and the final URL', () => {
    const found = processResourceMetadataResponse(
      'https://api.githubcopilot.com/mcp/',
      response(200, github),
    );
    expect(found).toEqual({ url: PRM_URL, document: github });
  });

  it('accepts a trailing-slash difference (GitHub 2025: resource without the slash)', () => {
    const document = { ...github, resource: 'https://api.githubcopilot.com/mcp' };
    expect(
      processResourceMetadataResponse('https://api.githubcopilot.com/mcp/', response(200, document)).document,
    ).toEqual(document);
  });

  it('accepts host case and default port differences', () => {
    const document = { resource: 'https://API.githubcopilot.com:443/mcp/' };
    expect(() =>
      processResourceMetadataResponse('https://api.githubcopilot.com/mcp/', response(200, document)),
    ).not.toThrow();
  });

  it('accepts http authorization servers on loopback hosts', () => {
    const document = {
      resource: 'http://127.0.0.2:3000/mcp',
      authorization_servers: ['http://127.0.0.3:4000', 'http://localhost:5000/t', 'http://[::1]:6000'],
      jwks_uri: 'http://auth.localhost/jwks',
    };
    expect(
      processResourceMetadataResponse('http://127.0.0.2:3000/mcp', response(200, document)).document,
    ).toEqual(document);
  });

  it.each([404, 401, 500, 302])('HTTP %i → RESOURCE_METADATA_NOT_FOUND', (status) => {
    const error = thrown(
      () =>
        processResourceMetadataResponse('https://api.githubcopilot.com/mcp/', response(status, undefined)),
      ErrorCodes.RESOURCE_METADATA_NOT_FOUND,
    );
    expect(error.url).toBe(PRM_URL);
    expect(error.actual).toBe(status);
    expect(error.message).toContain(String(status));
    expect(isSecurityError(error)).toBe(false);
  });

  it('a 2xx without a JSON body → INVALID_METADATA', () => {
    thrown(
      () => processResourceMetadataResponse('https://api.githubcopilot.com/mcp/', response(200, undefined)),
      ErrorCodes.INVALID_METADATA,
    );
  });

  it('schema violation → INVALID_METADATA listing each bad field, zod error as cause', () => {
    const document = { authorization_servers: ['https://ok.example', 'relative'], scopes_supported: 'repo' };
    const error = thrown(
      () => processResourceMetadataResponse('https://api.githubcopilot.com/mcp/', response(200, document)),
      ErrorCodes.INVALID_METADATA,
    );
    expect(error.message).toContain(PRM_URL);
    expect(error.message).toContain('resource:');
    expect(error.message).toContain('authorization_servers[1]: must be an absolute URL');
    expect(error.message).toContain('scopes_supported:');
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).name).toBe('ZodError');
    expect(error.url).toBe(PRM_URL);
  });

  it('a JSON array → INVALID_METADATA naming the document', () => {
    const error = thrown(
      () => processResourceMetadataResponse('https://api.githubcopilot.com/mcp/', response(200, [github])),
      ErrorCodes.INVALID_METADATA,
    );
    expect(error.message).toContain('(document)');
  });

  it.each([
    ['another path', 'https://api.githubcopilot.com/other/'],
    ['the bare origin', 'https://api.githubcopilot.com/'],
    ['another host', 'https://evil.example/mcp/'],
  ])('resource for %s → RESOURCE_MISMATCH (security)', (_name, resource) => {
    const error = thrown(
      () =>
        processResourceMetadataResponse(
          'https://api.githubcopilot.com/mcp/',
          response(200, { ...github, resource }),
        ),
      ErrorCodes.RESOURCE_MISMATCH,
    );
    expect(error.expected).toBe('https://api.githubcopilot.com/mcp/');
    expect(error.actual).toBe(resource);
    expect(error.url).toBe(PRM_URL);
    expect(isSecurityError(error)).toBe(true);
  });

  it('accepts any of several identifiers, and names the requested one when none matches', () => {
    const accepted = ['https://api.githubcopilot.com/mcp/', 'https://api.githubcopilot.com/'] as const;
    const origin = { ...github, resource: 'https://api.githubcopilot.com' };
    expect(processResourceMetadataResponse(accepted, response(200, origin)).document.resource).toBe(
      'https://api.githubcopilot.com',
    );
    const error = thrown(
      () =>
        processResourceMetadataResponse(
          accepted,
          response(200, { ...github, resource: 'https://evil.example/' }),
        ),
      ErrorCodes.RESOURCE_MISMATCH,
    );
    expect(error.expected).toBe('https://api.githubcopilot.com/mcp/');
  });

  it.each([
    ['http on a public host', ['https://ok.example', 'http://as.example'], 'authorization_servers[1]'],
    ['another scheme', ['ftp://as.example'], 'authorization_servers[0]'],
  ])('authorization server %s → INSECURE_URL naming the entry', (_name, servers, field) => {
    const error = thrown(
      () =>
        processResourceMetadataResponse(
          'https://api.githubcopilot.com/mcp/',
          response(200, { ...github, authorization_servers: servers }),
        ),
      ErrorCodes.INSECURE_URL,
    );
    expect(error.message).toContain(field);
    expect(error.actual).toBe(servers.at(-1));
    expect(isSecurityError(error)).toBe(true);
  });

  it('an http jwks_uri on a public host → INSECURE_URL naming jwks_uri', () => {
    const error = thrown(
      () =>
        processResourceMetadataResponse(
          'https://api.githubcopilot.com/mcp/',
          response(200, { ...github, jwks_uri: 'http://api.githubcopilot.com/jwks' }),
        ),
      ErrorCodes.INSECURE_URL,
    );
    expect(error.message).toContain('jwks_uri');
  });

  it('an invalid expected resource → INVALID_URL', () => {
    thrown(() => processResourceMetadataResponse('not a url', response(200, github)), ErrorCodes.INVALID_URL);
  });
});
