import { describe, expect, it } from 'vitest';
import { pkceSupport } from './pkce.js';

describe('pkceSupport (MCP 2025-11-25)', () => {
  it('S256 advertised → advertised and usable', () => {
    expect(pkceSupport({ code_challenge_methods_supported: ['plain', 'S256'] })).toEqual({
      s256Advertised: true,
      s256Usable: true,
    });
  });

  it.each([
    ['absent (Entra, Cognito)', {}],
    ['empty', { code_challenge_methods_supported: [] }],
    ['plain only', { code_challenge_methods_supported: ['plain'] }],
    ['wrong case', { code_challenge_methods_supported: ['s256'] }],
  ])('%s → not advertised, not usable without a hint', (_name, metadata) => {
    expect(pkceSupport(metadata)).toEqual({ s256Advertised: false, s256Usable: false });
    expect(pkceSupport(metadata, { pkceS256KnownSupported: false })).toEqual({
      s256Advertised: false,
      s256Usable: false,
    });
  });

  it('absent but known supported by a preset → usable, still not advertised', () => {
    expect(pkceSupport({}, { pkceS256KnownSupported: true })).toEqual({
      s256Advertised: false,
      s256Usable: true,
    });
  });
});
