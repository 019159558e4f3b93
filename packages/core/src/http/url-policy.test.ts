import { describe, expect, it } from 'vitest';
import { type DiscoveryError, ErrorCodes } from '../errors.js';
import { assertRequestUrl, requireAbsoluteUrl, requireHttpUrl } from './url-policy.js';

function errorOf(input: string): DiscoveryError {
  try {
    assertRequestUrl(input);
  } catch (error) {
    return error as DiscoveryError;
  }
  throw new Error(`expected ${input} to be refused`);
}

describe('assertRequestUrl', () => {
  it.each([
    [
      'https://example.com/.well-known/oauth-protected-resource',
      'https://example.com/.well-known/oauth-protected-resource',
    ],
    ['https://EXAMPLE.com:443/a?b=c#frag', 'https://example.com/a?b=c'],
    ['http://localhost:3000/mcp', 'http://localhost:3000/mcp'],
    ['http://mcp.localhost/', 'http://mcp.localhost/'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/'],
    ['http://127.9.9.9/', 'http://127.9.9.9/'],
    ['http://[::1]:8080/', 'http://[::1]:8080/'],
    ['https://10.0.0.1/', 'https://10.0.0.1/'],
  ])('accepts %s', (input, href) => {
    expect(assertRequestUrl(input).href).toBe(href);
  });

  it('accepts a URL object and does not change it', () => {
    const input = new URL('https://example.com/x#y');
    expect(assertRequestUrl(input).href).toBe('https://example.com/x');
    expect(input.hash).toBe('#y');
  });

  it.each(['', 'example.com', '/relative/path', 'https://', 'http://[::1'])(
    'refuses %j with INVALID_URL',
    (input) => {
      const error = errorOf(input);
      expect(error.code).toBe(ErrorCodes.INVALID_URL);
      expect(error.actual).toBe(input);
    },
  );

  it.each([
    'http://example.com/',
    'http://10.0.0.1/',
    'http://localhost.example.com/',
    'http://[fe80::1]/',
    'http://0.0.0.0/',
  ])('refuses plain http: for a non-loopback host %s with INSECURE_URL', (input) => {
    const error = errorOf(input);
    expect(error.code).toBe(ErrorCodes.INSECURE_URL);
    expect(error.url).toBe(input);
    expect(error.actual).toBe('http:');
    expect(error.expected).toMatch(/^https:/);
    expect(error.isSecurityError).toBe(true);
  });

  it.each(['ftp://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'ws://localhost/'])(
    'refuses the scheme of %s with INSECURE_URL',
    (input) => {
      expect(errorOf(input).code).toBe(ErrorCodes.INSECURE_URL);
    },
  );

  it.each(['https://user:secret@example.com/', 'https://user@example.com/', 'http://u:p@localhost/'])(
    'refuses credentials in %s with INSECURE_URL and does not echo the password',
    (input) => {
      const error = errorOf(input);
      expect(error.code).toBe(ErrorCodes.INSECURE_URL);
      expect(error.message).not.toContain('secret');
      expect(error.url).not.toContain('secret');
    },
  );
});

describe('requireAbsoluteUrl and requireHttpUrl', () => {
  it('return the parsed URL', () => {
    expect(requireAbsoluteUrl('urn:example:x', 'Resource').href).toBe('urn:example:x');
    expect(requireHttpUrl('http://127.0.0.1:3000/mcp', 'Resource').href).toBe('http://127.0.0.1:3000/mcp');
  });

  it.each([
    [
      'requireAbsoluteUrl',
      () => requireAbsoluteUrl('/relative', 'Issuer'),
      'Issuer "/relative" is not an absolute URL',
    ],
    [
      'requireHttpUrl',
      () => requireHttpUrl('not a url', 'Resource'),
      'Resource "not a url" is not an absolute URL',
    ],
    [
      'requireHttpUrl',
      () => requireHttpUrl('ftp://x.example/', 'Issuer'),
      'Issuer "ftp://x.example/" has scheme ftp:',
    ],
  ])('%s: INVALID_URL naming the role (%#)', (_name, run, message) => {
    expect(run).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_URL }));
    expect(run).toThrow(message);
  });
});
