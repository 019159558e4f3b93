import type * as ipaddrModule from 'ipaddr.js';
import { isCloudMetadataAddress } from './address-cloud-metadata.js';
import { ipaddr, parseAddress } from './address-parse.js';
import { boundedMemo } from './bounded-memo.js';

/**
 * Every kind of IP address the SSRF guard distinguishes. The names are ipaddr.js's range names
 * (IPv4 and IPv6 merged, `as112v6` folded into `as112`); `unicast` is the only public one.
 * IPv4-mapped (`::ffff:a.b.c.d`) and IPv4-compatible (`::a.b.c.d`, `::/96` except `::` and `::1`)
 * IPv6 addresses are classified as the IPv4 address they embed.
 *
 * @see https://www.iana.org/assignments/iana-ipv4-special-registry
 * @see https://www.iana.org/assignments/iana-ipv6-special-registry
 */
export type AddressRange =
  | 'unicast'
  | 'unspecified'
  | 'broadcast'
  | 'multicast'
  | 'linkLocal'
  | 'loopback'
  | 'private'
  | 'carrierGradeNat'
  | 'uniqueLocal'
  | 'reserved'
  | 'benchmarking'
  | 'amt'
  | 'as112'
  | 'deprecatedSiteLocal'
  | 'discard'
  | 'rfc6145'
  | 'rfc6052'
  | '6to4'
  | 'teredo'
  | 'deprecatedOrchid'
  | 'orchid2'
  | 'droneRemoteIdProtocolEntityTags'
  | 'segmentRouting';

/** Every {@link AddressRange}, `unicast` first. */
export const ADDRESS_RANGES: readonly AddressRange[] = [
  'unicast',
  'unspecified',
  'broadcast',
  'multicast',
  'linkLocal',
  'loopback',
  'private',
  'carrierGradeNat',
  'uniqueLocal',
  'reserved',
  'benchmarking',
  'amt',
  'as112',
  'deprecatedSiteLocal',
  'discard',
  'rfc6145',
  'rfc6052',
  '6to4',
  'teredo',
  'deprecatedOrchid',
  'orchid2',
  'droneRemoteIdProtocolEntityTags',
  'segmentRouting',
];

/**
 * Ranges the SSRF guard refuses by default: everything that is not public unicast (loopback,
 * private, link-local, multicast, unspecified, unique-local, carrier-grade NAT, reserved, broadcast,
 * and the special-purpose IPv6 ranges, including the ones that embed an IPv4 address).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-7.7
 */
export const BLOCKED_RANGES: readonly AddressRange[] = ADDRESS_RANGES.filter((range) => range !== 'unicast');

const KNOWN_RANGES: ReadonlySet<string> = new Set(ADDRESS_RANGES);
const BLOCKED: ReadonlySet<AddressRange> = new Set(BLOCKED_RANGES);

/** Which addresses the SSRF guard lets through. Both fields weaken the guard; both default to off. */
export interface AddressPolicy {
  /** Allow every address, private and loopback included (local development, tests). Weakens SSRF protection. */
  readonly allowPrivateNetwork?: boolean | undefined;
  /** Allow these ranges on top of public unicast (e.g. `['loopback']` when the resource itself is local). */
  readonly allowRanges?: readonly AddressRange[] | undefined;
}

/** True when `value` is an IPv4 or IPv6 address literal (IPv6 without brackets). */
export function isIpAddress(value: string): boolean {
  return ipAddress(value);
}

const ipAddress = boundedMemo((value: string): boolean => ipaddr.isValid(value));

/**
 * Classifies an IP address literal. Total and fail-closed: a string that is not an IP address
 * classifies as `reserved` (blocked by default) instead of throwing; use {@link isIpAddress} to tell
 * the two apart. Range names ipaddr.js may add in a later version also map to `reserved`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-7.7
 */
export function classifyAddress(ip: string): AddressRange {
  return classify(ip);
}

const classify = boundedMemo((ip: string): AddressRange => {
  const address = parse(ip);
  if (address === undefined) return 'reserved';
  const range: string = address.range();
  if (range === 'as112v6') return 'as112';
  return KNOWN_RANGES.has(range) ? (range as AddressRange) : 'reserved';
});

/**
 * True when the policy lets a connection to `ip` through. A range listed in `allowRanges` is
 * allowed, except the cloud metadata addresses in it ({@link isCloudMetadataAddress}: only
 * `allowPrivateNetwork` reaches those); when that range embeds an IPv4 address (6to4, NAT64 `64:ff9b::/96`, RFC 6145), the
 * embedded address must be allowed too, so an allowance for NAT64 does not open the private network.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-7.7
 */
export function isAddressAllowed(ip: string, policy: AddressPolicy = {}): boolean {
  if (policy.allowPrivateNetwork === true) return true;
  // A resource's own range (`allowRanges`) never unlocks a cloud metadata service in it.
  if (isCloudMetadataAddress(ip)) return false;
  const range = classifyAddress(ip);
  if (!BLOCKED.has(range)) return true;
  if (!(policy.allowRanges ?? []).includes(range)) return false;
  const embedded = embeddedIPv4(ip);
  return embedded === undefined || isAddressAllowed(embedded, policy);
}

/**
 * True for host names that always mean this machine: `localhost`, `*.localhost` (RFC 6761 §6.3),
 * IPv4 loopback literals (`127.0.0.0/8`) and `::1` (with or without brackets, or IPv4-mapped).
 * Used for the rule that plain `http:` is only allowed to loopback hosts.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6761#section-6.3
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-8.3
 */
export function isLoopbackHost(hostname: string): boolean {
  return loopbackHost(hostname);
}

const loopbackHost = boundedMemo((hostname: string): boolean => {
  let host = hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  else if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIpAddress(host) && classifyAddress(host) === 'loopback';
});

const parse = parseAddress;

/** The IPv4 address embedded in a 6to4, NAT64 well-known-prefix or RFC 6145 IPv6 address. */
function embeddedIPv4(ip: string): string | undefined {
  const address = parse(ip);
  if (address === undefined || address.kind() !== 'ipv6') return undefined;
  const parts = (address as ipaddrModule.IPv6).parts;
  const range = address.range();
  const pick = (high: number | undefined, low: number | undefined): string =>
    [(high ?? 0) >> 8, (high ?? 0) & 0xff, (low ?? 0) >> 8, (low ?? 0) & 0xff].join('.');
  if (range === '6to4') return pick(parts[1], parts[2]);
  const isNat64WellKnown = parts[0] === 0x64 && parts[1] === 0xff9b && parts[2] === 0;
  if ((range === 'rfc6052' && isNat64WellKnown) || range === 'rfc6145') return pick(parts[6], parts[7]);
  return undefined;
}
