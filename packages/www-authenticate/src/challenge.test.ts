import { describe, expect, it } from 'vitest';
import { toResourceChallenge } from './challenge.js';
import { parseWwwAuthenticate } from './parse.js';

const from = (header: string, status?: number) => toResourceChallenge(parseWwwAuthenticate(header), status);

describe('toResourceChallenge', () => {
  it('takes resource_metadata, scope, error and every param from a Bearer challenge', () => {
    expect(
      from(
        'Bearer resource_metadata="https://r.example/.well-known/oauth-protected-resource", scope="files:read  files:write", error="insufficient_scope", error_description="more scope", realm=r',
        403,
      ),
    ).toEqual({
      scheme: 'Bearer',
      resourceMetadata: 'https://r.example/.well-known/oauth-protected-resource',
      scope: ['files:read', 'files:write'],
      error: 'insufficient_scope',
      errorDescription: 'more scope',
      status: 403,
      params: {
        resource_metadata: 'https://r.example/.well-known/oauth-protected-resource',
        scope: 'files:read  files:write',
        error: 'insufficient_scope',
        error_description: 'more scope',
        realm: 'r',
      },
    });
  });

  it('leaves absent fields undefined (Atlassian v1: no resource_metadata)', () => {
    const challenge = from(
      'Bearer realm="OAuth", error="invalid_token", error_description="Missing or invalid access token"',
    );
    expect(challenge).toEqual({
      scheme: 'Bearer',
      error: 'invalid_token',
      errorDescription: 'Missing or invalid access token',
      params: {
        realm: 'OAuth',
        error: 'invalid_token',
        error_description: 'Missing or invalid access token',
      },
    });
    expect(challenge?.resourceMetadata).toBeUndefined();
    expect(challenge?.status).toBeUndefined();
  });

  it('prefers Bearer over DPoP and earlier challenges, case-insensitively', () => {
    expect(from('Basic realm=a, DPoP algs=ES256, bearer scope=x')?.scheme).toBe('bearer');
  });

  it('falls back to DPoP when there is no Bearer', () => {
    expect(from('Negotiate, DPoP algs="ES256", Basic')).toMatchObject({
      scheme: 'DPoP',
      params: { algs: 'ES256' },
    });
  });

  it('falls back to any challenge with resource_metadata', () => {
    expect(from('Basic realm=a, Custom resource_metadata="https://r.example/prm"')).toMatchObject({
      scheme: 'Custom',
      resourceMetadata: 'https://r.example/prm',
    });
  });

  it('prefers the Bearer challenge that has resource_metadata', () => {
    expect(from('Bearer realm=a, Bearer resource_metadata="https://r.example/prm"')).toMatchObject({
      resourceMetadata: 'https://r.example/prm',
    });
  });

  it('treats an empty scope as absent', () => {
    expect(from('Bearer scope="  "')).toEqual({ scheme: 'Bearer', params: { scope: '  ' } });
  });

  it('returns undefined when no challenge qualifies', () => {
    expect(from('Basic realm="a", Negotiate YII=')).toBeUndefined();
    expect(from('')).toBeUndefined();
    expect(from('garbage ="x"')).toBeUndefined();
  });

  it('does not read inherited properties as parameters', () => {
    expect(from('Bearer realm=a')?.error).toBeUndefined();
    expect(from('Custom constructor=x, toString=y')).toBeUndefined();
  });
});
