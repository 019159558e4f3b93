import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors.js';
import { rejection as failure } from '../testing.test-helper.js';
import { isCloudMetadataAddress } from './address-cloud-metadata.js';
import { classifyAddress, isAddressAllowed } from './address-policy.js';
import type { LookupFunction } from './client-options.js';
import { clientFactory, serve, type TestServer } from './loopback.test-helper.js';
import { resourceAddressRanges } from './resource-ranges.js';

// Findings 15 and 16 of the security review: IPv4-compatible IPv6 (`::a.b.c.d`) was public unicast,
// and a resource on a link-local or unique-local address unlocked the cloud metadata service.

const client = clientFactory();
let server: TestServer;
beforeAll(async () => {
  server = await serve('127.0.0.1', (_req, res) => res.end('{}'));
});
afterAll(async () => {
  await server.close();
});

/** A resolver answering every name with `addresses` (never real DNS). */
const dnsAnswering =
  (...addresses: LookupAddress[]): LookupFunction =>
  (_hostname, _options, callback) =>
    callback(null, addresses);

describe('IPv4-compatible IPv6 (::/96) is classified by the IPv4 address it embeds', () => {
  it.each([
    ['::a9fe:a9fe', 'linkLocal'],
    ['::169.254.169.254', 'linkLocal'],
    ['::7f00:1', 'loopback'],
    ['::a00:1', 'private'],
    ['::c0a8:101', 'private'],
    ['::6440:1', 'carrierGradeNat'],
    ['::808:808', 'unicast'],
    // `::` and `::1` keep their own meaning.
    ['::', 'unspecified'],
    ['::1', 'loopback'],
  ] as const)('%s → %s', (ip, range) => {
    expect(classifyAddress(ip)).toBe(range);
  });

  it('refuses [::169.254.169.254] (as URL parsers write it: [::a9fe:a9fe]) with BLOCKED_ADDRESS', async () => {
    const url = new URL('https://[::169.254.169.254]/latest/meta-data/');
    expect(url.hostname).toBe('[::a9fe:a9fe]');
    const error = await failure(client().request(url.href), ErrorCodes.BLOCKED_ADDRESS);
    expect(error.message).toContain('linkLocal');
  });

  it('refuses a name that resolves to ::a9fe:a9fe with BLOCKED_ADDRESS', async () => {
    const before = server.connections;
    const error = await failure(
      client({ lookup: dnsAnswering({ address: '::a9fe:a9fe', family: 6 }) }).request(
        `https://imds.test:${server.port}/`,
      ),
      ErrorCodes.BLOCKED_ADDRESS,
    );
    expect(error.actual).toMatchObject({ address: '::a9fe:a9fe', range: 'linkLocal' });
    expect(server.connections).toBe(before);
  });
});

describe('cloud metadata addresses are never unlocked by a resource range', () => {
  it.each([
    '169.254.169.254',
    '169.254.170.2',
    '169.254.170.23',
    '100.100.100.200',
    'fd00:ec2::254',
    'fd00:ec2::23',
    '::ffff:169.254.169.254',
    '::a9fe:a9fe',
    'fd00:ec2:0:0:0:0:0:254',
  ])(
    '%s is a metadata address, refused under every allowed range but allowed with allowPrivateNetwork',
    (ip) => {
      expect(isCloudMetadataAddress(ip)).toBe(true);
      expect(
        isAddressAllowed(ip, { allowRanges: ['linkLocal', 'uniqueLocal', 'carrierGradeNat', 'private'] }),
      ).toBe(false);
      expect(isAddressAllowed(ip, { allowPrivateNetwork: true })).toBe(true);
    },
  );

  it('still lets a link-local or unique-local resource reach its neighbours', () => {
    expect(isAddressAllowed('169.254.10.20', { allowRanges: ['linkLocal'] })).toBe(true);
    expect(isAddressAllowed('fd00:ec2::253', { allowRanges: ['uniqueLocal'] })).toBe(true);
    expect(isCloudMetadataAddress('169.254.169.253')).toBe(false);
  });

  it.each([
    ['https://169.254.10.10/mcp', 'https://169.254.169.254/latest/meta-data/iam/'],
    ['https://[fd00:ec2::10]/mcp', 'https://[fd00:ec2::254]/latest/meta-data/'],
    ['https://100.100.1.1/mcp', 'https://100.100.100.200/latest/meta-data/'],
  ])('a resource at %s cannot reach %s (BLOCKED_ADDRESS)', async (resource, target) => {
    const allowAddressRanges = resourceAddressRanges(resource);
    expect(allowAddressRanges).not.toEqual([]);
    await failure(client().request(target, { allowAddressRanges }), ErrorCodes.BLOCKED_ADDRESS);
  });

  it('refuses a name resolving to a metadata address even with its range allowed', async () => {
    const error = await failure(
      client({ lookup: dnsAnswering({ address: '169.254.169.254', family: 4 }) }).request(
        `https://metadata.test:${server.port}/`,
        { allowAddressRanges: ['linkLocal'] },
      ),
      ErrorCodes.BLOCKED_ADDRESS,
    );
    expect(error.actual).toMatchObject({ address: '169.254.169.254' });
  });
});
