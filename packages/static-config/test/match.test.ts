import { describe, expect, it } from 'vitest';
import { findStaticConfigEntry, staticResourceMatches, validateStaticConfig } from '../src/index.js';

describe('staticResourceMatches', () => {
  it('exact: like the RFC 9728 resource check (case, default port, one trailing slash are not significant)', () => {
    const exact = 'https://mcp.example.com/mcp';
    expect(staticResourceMatches(exact, 'https://mcp.example.com/mcp')).toBe(true);
    expect(staticResourceMatches(exact, 'HTTPS://MCP.example.com:443/mcp/')).toBe(true);
    expect(staticResourceMatches(exact, 'https://mcp.example.com/mcp/v2')).toBe(false);
    expect(staticResourceMatches(exact, 'https://mcp.example.com/MCP')).toBe(false);
    expect(staticResourceMatches(exact, 'https://mcp.example.com/mcp?x=1')).toBe(false);
    expect(staticResourceMatches(exact, 'not a url')).toBe(false);
  });

  it('prefix: same origin, then a plain string prefix of path and query', () => {
    const prefix = { prefix: 'https://mcp.example.com/team/' };
    expect(staticResourceMatches(prefix, 'https://mcp.example.com/team/a/mcp')).toBe(true);
    expect(staticResourceMatches(prefix, 'https://mcp.example.com/team')).toBe(false);
    expect(staticResourceMatches(prefix, 'https://mcp.example.com.evil.test/team/a')).toBe(false);
    expect(staticResourceMatches(prefix, 'http://mcp.example.com/team/a')).toBe(false);
    expect(
      staticResourceMatches({ prefix: 'https://mcp.example.com' }, 'https://mcp.example.com/anything'),
    ).toBe(true);
  });

  it('pattern: * stays within a segment or label, ** crosses slashes', () => {
    const host = { pattern: 'https://*.example.com/mcp' };
    expect(staticResourceMatches(host, 'https://eu.example.com/mcp')).toBe(true);
    expect(staticResourceMatches(host, 'https://a.b.example.com/mcp')).toBe(true);
    expect(staticResourceMatches(host, 'https://evil.test/x.example.com/mcp')).toBe(false);
    expect(staticResourceMatches(host, 'https://example.com/mcp')).toBe(false);
    const segment = { pattern: 'https://mcp.example.com/*/mcp' };
    expect(staticResourceMatches(segment, 'https://mcp.example.com/t1/mcp')).toBe(true);
    expect(staticResourceMatches(segment, 'https://mcp.example.com/t1/t2/mcp')).toBe(false);
    const deep = { pattern: 'https://mcp.example.com/**' };
    expect(staticResourceMatches(deep, 'https://mcp.example.com/t1/t2/mcp')).toBe(true);
    expect(
      staticResourceMatches({ pattern: 'HTTPS://MCP.Example.com/Mcp' }, 'https://mcp.example.com/Mcp'),
    ).toBe(true);
    expect(
      staticResourceMatches({ pattern: 'https://mcp.example.com/a.b' }, 'https://mcp.example.com/aXb'),
    ).toBe(false);
  });
});

describe('the vocabulary shared with presets', () => {
  it('accepts { url } and { origin, pathPrefix } entries, matched as in presets', () => {
    const config = validateStaticConfig([
      { resource: { url: 'https://mcp.example.com/mcp/' }, issuer: 'https://a.example.com' },
      { resource: { origin: 'https://mcp.example.com', pathPrefix: '/v2' }, issuer: 'https://b.example.com' },
    ]);
    expect(findStaticConfigEntry(config, 'https://mcp.example.com/mcp')?.index).toBe(0);
    expect(findStaticConfigEntry(config, 'https://mcp.example.com/v2/mcp')?.index).toBe(1);
    expect(findStaticConfigEntry(config, 'https://mcp.example.com/v20')).toBeUndefined();
  });

  it('refuses an origin matcher with a path, naming the key', () => {
    expect(() =>
      validateStaticConfig([
        { resource: { origin: 'https://mcp.example.com/x' }, issuer: 'https://a.example.com' },
      ]),
    ).toThrow(/resources\[0\]\.resource/);
  });
});

describe('findStaticConfigEntry', () => {
  it('returns the first matching entry in the order listed', () => {
    const config = validateStaticConfig([
      { resource: 'https://mcp.example.com/special', issuer: 'https://special.example.com' },
      { resource: { pattern: 'https://mcp.example.com/**' }, issuer: 'https://broad.example.com' },
      { resource: 'https://mcp.example.com/late', issuer: 'https://never.example.com' },
    ]);
    expect(findStaticConfigEntry(config, 'https://mcp.example.com/special')?.index).toBe(0);
    expect(findStaticConfigEntry(config, 'https://mcp.example.com/late')?.entry.issuer).toBe(
      'https://broad.example.com',
    );
    expect(findStaticConfigEntry(config, 'https://other.example.com/')).toBeUndefined();
  });
});
