import { describe, expect, it } from 'vitest';
import { DiscoveryError, ErrorCodes } from '../errors.js';
import { issuersMatch, normalizeResource, resourcesMatch } from './resource.js';

describe('normalizeResource', () => {
  it.each([
    ['HTTPS://MCP.Example.COM/Mcp', 'https://mcp.example.com/Mcp'],
    ['https://mcp.example.com:443/mcp', 'https://mcp.example.com/mcp'],
    ['http://mcp.example.com:80/mcp', 'http://mcp.example.com/mcp'],
    ['https://mcp.example.com:8443/mcp', 'https://mcp.example.com:8443/mcp'],
    ['https://mcp.example.com', 'https://mcp.example.com/'],
    ['https://mcp.example.com/mcp#section', 'https://mcp.example.com/mcp'],
    ['https://mcp.example.com/mcp#', 'https://mcp.example.com/mcp'],
    ['https://mcp.example.com/mcp?tenant=A&x=1', 'https://mcp.example.com/mcp?tenant=A&x=1'],
    ['https://mcp.example.com/mcp/', 'https://mcp.example.com/mcp/'],
    ['https://mcp.example.com/a/../mcp', 'https://mcp.example.com/mcp'],
    ['http://[::1]:80/mcp', 'http://[::1]/mcp'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeResource(input)).toBe(expected);
  });

  it('accepts a URL object and does not modify it', () => {
    const url = new URL('https://X.example/mcp#f');
    expect(normalizeResource(url)).toBe('https://x.example/mcp');
    expect(url.hash).toBe('#f');
  });

  it.each(['mcp.example.com/mcp', '/mcp', '', 'https://'])('throws INVALID_URL for %j', (input) => {
    expect(() => normalizeResource(input)).toThrowError(
      expect.objectContaining({ code: ErrorCodes.INVALID_URL, url: input }),
    );
    expect(() => normalizeResource(input)).toThrow(DiscoveryError);
  });
});

describe('resourcesMatch', () => {
  it.each([
    ['identical', 'https://x.example/mcp', 'https://x.example/mcp'],
    ['host case', 'https://X.Example/mcp', 'https://x.example/mcp'],
    ['scheme case', 'HTTPS://x.example/mcp', 'https://x.example/mcp'],
    ['default port', 'https://x.example:443/mcp', 'https://x.example/mcp'],
    [
      'GitHub trailing slash (advertised has it)',
      'https://api.githubcopilot.com/mcp',
      'https://api.githubcopilot.com/mcp/',
    ],
    [
      'trailing slash (requested has it)',
      'https://api.githubcopilot.com/mcp/',
      'https://api.githubcopilot.com/mcp',
    ],
    ['empty path and /', 'https://x.example', 'https://x.example/'],
    ['fragment ignored', 'https://x.example/mcp#a', 'https://x.example/mcp'],
    ['same query, trailing slash', 'https://x.example/mcp/?t=1', 'https://x.example/mcp?t=1'],
  ])('matches: %s', (_name, requested, advertised) => {
    expect(resourcesMatch(requested, advertised)).toBe(true);
    expect(resourcesMatch(advertised, requested)).toBe(true);
  });

  it.each([
    ['another path', 'https://x.example/mcp', 'https://x.example/other'],
    ['a parent path', 'https://x.example/v1/mcp', 'https://x.example/v1'],
    ['the bare origin for a path', 'https://x.example/mcp', 'https://x.example/'],
    ['a longer path', 'https://x.example/mcp', 'https://x.example/mcp/v2'],
    ['path case', 'https://x.example/MCP', 'https://x.example/mcp'],
    ['two trailing slashes', 'https://x.example/mcp//', 'https://x.example/mcp'],
    ['another host', 'https://x.example/mcp', 'https://y.example/mcp'],
    ['a subdomain', 'https://x.example/mcp', 'https://mcp.x.example/mcp'],
    ['another scheme', 'http://x.example/mcp', 'https://x.example/mcp'],
    ['another port', 'https://x.example:8443/mcp', 'https://x.example/mcp'],
    ['another query', 'https://x.example/mcp?t=1', 'https://x.example/mcp?t=2'],
    ['a missing query', 'https://x.example/mcp?t=1', 'https://x.example/mcp'],
    ['userinfo', 'https://u@x.example/mcp', 'https://x.example/mcp'],
  ])('does not match: %s', (_name, requested, advertised) => {
    expect(resourcesMatch(requested, advertised)).toBe(false);
    expect(resourcesMatch(advertised, requested)).toBe(false);
  });

  it('is false when either side is not an absolute URL', () => {
    expect(resourcesMatch('not a url', 'https://x.example/')).toBe(false);
    expect(resourcesMatch('https://x.example/', '/mcp')).toBe(false);
  });
});

describe('issuersMatch', () => {
  it.each([
    ['identical', 'https://as.example', 'https://as.example'],
    ['identical with path', 'https://as.example/tenant', 'https://as.example/tenant'],
    ['origin-only, trailing slash on one side', 'https://as.example', 'https://as.example/'],
    ['origin-only with port', 'http://127.0.0.1:4000', 'http://127.0.0.1:4000/'],
    ['origin-only, uppercase host on both sides', 'https://AS.example', 'https://AS.example/'],
  ])('matches: %s', (_name, a, b) => {
    expect(issuersMatch(a, b)).toBe(true);
    expect(issuersMatch(b, a)).toBe(true);
  });

  it.each([
    ['Atlassian foreign issuer', 'https://mcp.atlassian.com', 'https://cf.mcp.atlassian.com'],
    ['path issuer trailing slash', 'https://as.example/tenant', 'https://as.example/tenant/'],
    ['Atlassian tenant path dropped', 'https://auth.atlassian.com/abc', 'https://auth.atlassian.com'],
    [
      'Atlassian tenant path dropped (slash)',
      'https://auth.atlassian.com/abc',
      'https://auth.atlassian.com/',
    ],
    ['host case', 'https://AS.example', 'https://as.example'],
    ['default port', 'https://as.example:443', 'https://as.example'],
    ['scheme', 'http://as.example', 'https://as.example'],
    ['path case', 'https://as.example/Tenant', 'https://as.example/tenant'],
    ['two trailing slashes', 'https://as.example', 'https://as.example//'],
    ['query marker', 'https://as.example?', 'https://as.example?/'],
    ['not URLs', 'as.example', 'as.example/'],
  ])('does not match: %s', (_name, a, b) => {
    expect(issuersMatch(a, b)).toBe(false);
    expect(issuersMatch(b, a)).toBe(false);
  });
});
