import { describe, expect, it } from 'vitest';
import {
  ADDRESS_RANGES,
  type AddressRange,
  BLOCKED_RANGES,
  classifyAddress,
  isAddressAllowed,
  isIpAddress,
  isLoopbackHost,
} from './address-policy.js';

describe('classifyAddress', () => {
  const table: ReadonlyArray<readonly [string, AddressRange]> = [
    // IPv4
    ['8.8.8.8', 'unicast'],
    ['1.1.1.1', 'unicast'],
    ['93.184.215.14', 'unicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['169.254.169.254', 'linkLocal'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.255', 'carrierGradeNat'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['172.32.0.1', 'unicast'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.175.48.1', 'as112'],
    ['192.52.193.1', 'amt'],
    // IPv6
    ['2606:4700:4700::1111', 'unicast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['ff02::1', 'multicast'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456:789a::1', 'uniqueLocal'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['100::1', 'discard'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:c000:0201::1', '6to4'],
    ['2001:0:4136:e378::1', 'teredo'],
    ['2001:2::1', 'benchmarking'],
    ['2001:db8::1', 'reserved'],
    ['2001:4:112::1', 'as112'],
    ['2001:20::1', 'orchid2'],
    ['5f00::1', 'segmentRouting'],
    // IPv4-mapped IPv6 classifies as the IPv4 address it maps
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:8.8.8.8', 'unicast'],
  ];

  it.each(table)('%s is %s', (ip, range) => {
    expect(classifyAddress(ip)).toBe(range);
  });

  it.each(['', 'localhost', 'example.com', '1.2.3.4.5', '::g', '[::1]', '256.1.1.1'])(
    'classifies the non-address %j as reserved (fail closed)',
    (value) => {
      expect(isIpAddress(value)).toBe(false);
      expect(classifyAddress(value)).toBe('reserved');
    },
  );

  it('only ever returns a declared range', () => {
    for (const [ip] of table) expect(ADDRESS_RANGES).toContain(classifyAddress(ip));
  });
});

describe('BLOCKED_RANGES', () => {
  it('blocks every range except public unicast', () => {
    expect(BLOCKED_RANGES).not.toContain('unicast');
    expect([...BLOCKED_RANGES, 'unicast'].sort()).toEqual([...ADDRESS_RANGES].sort());
    for (const range of [
      'loopback',
      'private',
      'linkLocal',
      'multicast',
      'unspecified',
      'uniqueLocal',
      'carrierGradeNat',
      'reserved',
      'broadcast',
    ] as const) {
      expect(BLOCKED_RANGES).toContain(range);
    }
  });
});

describe('isAddressAllowed', () => {
  const table: ReadonlyArray<readonly [string, Parameters<typeof isAddressAllowed>[1], boolean]> = [
    ['8.8.8.8', {}, true],
    ['2606:4700:4700::1111', {}, true],
    ['127.0.0.1', {}, false],
    ['::1', {}, false],
    ['::ffff:127.0.0.1', {}, false],
    ['10.0.0.1', {}, false],
    ['169.254.169.254', {}, false],
    ['0.0.0.0', {}, false],
    ['::', {}, false],
    ['fd00::1', {}, false],
    ['100.64.0.1', {}, false],
    ['224.0.0.1', {}, false],
    ['255.255.255.255', {}, false],
    ['not-an-ip', {}, false],
    ['127.0.0.1', { allowRanges: ['loopback'] }, true],
    ['::1', { allowRanges: ['loopback'] }, true],
    ['::ffff:127.0.0.1', { allowRanges: ['loopback'] }, true],
    ['10.0.0.1', { allowRanges: ['loopback'] }, false],
    ['10.0.0.1', { allowRanges: ['private'] }, true],
    ['169.254.169.254', { allowRanges: ['private', 'loopback'] }, false],
    ['127.0.0.1', { allowPrivateNetwork: true }, true],
    ['169.254.169.254', { allowPrivateNetwork: true }, true],
    ['not-an-ip', { allowPrivateNetwork: true }, true],
    ['127.0.0.1', { allowPrivateNetwork: false, allowRanges: [] }, false],
    // Ranges that embed an IPv4 address: allowing the range does not allow the embedded private address.
    ['64:ff9b::808:808', {}, false],
    ['64:ff9b::808:808', { allowRanges: ['rfc6052'] }, true],
    ['64:ff9b::7f00:1', { allowRanges: ['rfc6052'] }, false],
    ['64:ff9b::7f00:1', { allowRanges: ['rfc6052', 'loopback'] }, true],
    ['2002:0808:0808::1', { allowRanges: ['6to4'] }, true],
    ['2002:0a00:0001::1', { allowRanges: ['6to4'] }, false],
    ['2002:0a00:0001::1', { allowRanges: ['6to4', 'private'] }, true],
  ];

  it.each(table)('%s with %j → %s', (ip, policy, allowed) => {
    expect(isAddressAllowed(ip, policy)).toBe(allowed);
  });

  it('defaults to the strict policy', () => {
    expect(isAddressAllowed('127.0.0.1')).toBe(false);
    expect(isAddressAllowed('8.8.8.8')).toBe(true);
  });
});

describe('isLoopbackHost', () => {
  const table: ReadonlyArray<readonly [string, boolean]> = [
    ['localhost', true],
    ['LOCALHOST', true],
    ['localhost.', true],
    ['mcp.localhost', true],
    ['a.b.localhost', true],
    ['127.0.0.1', true],
    ['127.0.0.2', true],
    ['127.255.255.255', true],
    ['[::1]', true],
    ['::1', true],
    ['[::ffff:7f00:1]', true],
    ['localhost.example.com', false],
    ['notlocalhost', false],
    ['example.com', false],
    ['10.0.0.1', false],
    ['0.0.0.0', false],
    ['[::]', false],
    ['[fe80::1]', false],
    ['128.0.0.1', false],
    ['', false],
  ];

  it.each(table)('%j → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
