import { describe, expect, it } from 'vitest';
import { DiscoveryError, ErrorCodes } from '../errors.js';
import { assertSecureUrl, isSecureUrl } from './secure-url.js';

describe('isSecureUrl', () => {
  it.each([
    'https://as.example/token',
    'https://127.0.0.1/token',
    'http://127.0.0.1:8080/token',
    'http://127.255.0.9/token',
    'http://localhost:3000/token',
    'http://auth.localhost/token',
    'http://[::1]:3000/token',
  ])('allows %s', (url) => {
    expect(isSecureUrl(new URL(url))).toBe(true);
  });

  it.each([
    'http://as.example/token',
    'http://10.0.0.1/token',
    'http://192.168.1.1/token',
    'http://localhost.example.com/token',
    'http://128.0.0.1/token',
    'ftp://as.example/token',
    'javascript:alert(1)',
    'data:text/plain,hi',
    'https://user:pass@as.example/token',
    'https://user@as.example/token',
  ])('refuses %s', (url) => {
    expect(isSecureUrl(new URL(url))).toBe(false);
  });
});

describe('assertSecureUrl', () => {
  const doc = 'https://as.example/.well-known/oauth-authorization-server';

  it('passes silently for a good URL', () => {
    expect(() => assertSecureUrl('token_endpoint', 'https://as.example/token', doc)).not.toThrow();
  });

  it('INSECURE_URL names the field and the document', () => {
    const error = catchError(() => assertSecureUrl('token_endpoint', 'http://as.example/token', doc));
    expect(error.code).toBe(ErrorCodes.INSECURE_URL);
    expect(error.url).toBe(doc);
    expect(error.message).toContain('token_endpoint');
    expect(error.actual).toBe('http://as.example/token');
  });

  it('INSECURE_URL for credentials, without repeating them', () => {
    const error = catchError(() =>
      assertSecureUrl('token_endpoint', 'https://u:secret@as.example/token', doc),
    );
    expect(error.code).toBe(ErrorCodes.INSECURE_URL);
    expect(error.message).not.toContain('secret');
    expect(JSON.stringify(error.toJSON())).not.toContain('secret');
  });

  it('INVALID_METADATA for a relative URL', () => {
    const error = catchError(() => assertSecureUrl('x_endpoint', '/token', doc));
    expect(error.code).toBe(ErrorCodes.INVALID_METADATA);
    expect(error.message).toContain('x_endpoint');
  });
});

function catchError(run: () => void): DiscoveryError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DiscoveryError);
    return error as DiscoveryError;
  }
  throw new Error('expected an error, nothing was thrown');
}
