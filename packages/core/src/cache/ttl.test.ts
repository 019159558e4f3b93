import { describe, expect, it } from 'vitest';
import { cacheTtlFromHeaders, parseCacheControl } from './ttl.js';

const limits = { defaultMs: 300_000, maxMs: 86_400_000 };

describe('parseCacheControl', () => {
  it('reads no-store, no-cache, max-age and s-maxage case-insensitively', () => {
    expect(parseCacheControl('Public, MAX-AGE=60, s-maxage="120"')).toEqual({
      noStore: false,
      noCache: false,
      maxAge: 60,
      sMaxAge: 120,
    });
    expect(parseCacheControl('no-store')).toMatchObject({ noStore: true });
    expect(parseCacheControl('no-cache="set-cookie"')).toMatchObject({ noCache: true });
  });

  it('ignores an invalid max-age instead of treating it as 0', () => {
    expect(parseCacheControl('max-age=abc')).toEqual({ noStore: false, noCache: false });
    expect(parseCacheControl('max-age=-5')).toEqual({ noStore: false, noCache: false });
    expect(parseCacheControl(undefined)).toEqual({ noStore: false, noCache: false });
  });
});

describe('cacheTtlFromHeaders', () => {
  it('takes the smallest max-age/s-maxage of all responses', () => {
    expect(cacheTtlFromHeaders(['max-age=600', 'max-age=60', undefined], limits)).toBe(60_000);
    expect(cacheTtlFromHeaders(['max-age=600, s-maxage=30'], limits)).toBe(30_000);
  });

  it('falls back to defaultMs, caps at maxMs, and refuses no-store/no-cache/zero', () => {
    expect(cacheTtlFromHeaders([], limits)).toBe(300_000);
    expect(cacheTtlFromHeaders([undefined, 'public'], limits)).toBe(300_000);
    expect(cacheTtlFromHeaders(['max-age=31536000'], limits)).toBe(86_400_000);
    expect(cacheTtlFromHeaders(['max-age=60', 'no-store'], limits)).toBeNull();
    expect(cacheTtlFromHeaders(['no-cache'], limits)).toBeNull();
    expect(cacheTtlFromHeaders(['max-age=0'], limits)).toBeNull();
    expect(cacheTtlFromHeaders([], { defaultMs: 0, maxMs: 10 })).toBeNull();
  });
});
