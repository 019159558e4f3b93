import { describe, expect, it } from 'vitest';
import { initialState } from '../pipeline/state.js';
import type { DiscoveryState } from '../types.js';
import { announcesResourceMetadata } from './announced.js';

const base: DiscoveryState = initialState('https://mcp.example/mcp', undefined, undefined);

describe('announcesResourceMetadata', () => {
  it.each([
    ['Bearer resource_metadata="https://mcp.example/prm"', true],
    ['Bearer realm="x",resource_metadata="https://mcp.example/prm"', true],
    ['Bearer realm="x", RESOURCE_METADATA = "https://mcp.example/prm"', true],
    ['Bearer realm="OAuth", error="invalid_token"', false],
    ['Bearer x_resource_metadata="https://mcp.example/prm"', false],
  ])('reads the raw header %s → %s', (header, expected) => {
    expect(announcesResourceMetadata({ ...base, wwwAuthenticate: header })).toBe(expected);
  });

  it('prefers the parsed challenge, and is false without any challenge', () => {
    const parsed = { scheme: 'Bearer', params: {} };
    expect(announcesResourceMetadata(base)).toBe(false);
    expect(
      announcesResourceMetadata({ ...base, challenge: { ...parsed, resourceMetadata: 'https://x/prm' } }),
    ).toBe(true);
    expect(
      announcesResourceMetadata({
        ...base,
        wwwAuthenticate: 'Bearer resource_metadata="x"',
        challenge: parsed,
      }),
    ).toBe(false);
  });
});
