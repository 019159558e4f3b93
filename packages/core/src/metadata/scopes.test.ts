import { describe, expect, it } from 'vitest';
import type { ResourceMetadataFound } from '../types.js';
import { chooseScopes } from './scopes.js';

function prm(scopes?: string[]): ResourceMetadataFound {
  return {
    url: 'https://x.example/.well-known/oauth-protected-resource',
    document: {
      resource: 'https://x.example/',
      scopes_supported: scopes,
    },
  };
}

describe('chooseScopes (MCP 2025-11-25 scope selection)', () => {
  it('the challenge scope is authoritative', () => {
    expect(chooseScopes({ scope: ['mcp:connect'] }, prm(['a', 'b']), { defaultScopes: ['d'] })).toEqual([
      'mcp:connect',
    ]);
  });

  it('else every PRM scopes_supported', () => {
    expect(chooseScopes({}, prm(['a', 'b']), { defaultScopes: ['d'] })).toEqual(['a', 'b']);
    expect(chooseScopes(null, prm(['a', 'b']))).toEqual(['a', 'b']);
  });

  it('else the hints default scopes', () => {
    expect(chooseScopes(undefined, prm(), { defaultScopes: ['d'] })).toEqual(['d']);
    expect(chooseScopes(undefined, null, { defaultScopes: ['d'] })).toEqual(['d']);
  });

  it('else undefined: omit the scope parameter', () => {
    expect(chooseScopes(undefined, undefined)).toBeUndefined();
    expect(chooseScopes(null, prm(), {})).toBeUndefined();
  });

  it('empty lists count as absent', () => {
    expect(chooseScopes({ scope: [] }, prm([]), { defaultScopes: ['d'] })).toEqual(['d']);
    expect(chooseScopes({ scope: [] }, prm([]), { defaultScopes: [] })).toBeUndefined();
  });
});
