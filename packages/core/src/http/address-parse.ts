import * as ipaddrModule from 'ipaddr.js';

// ipaddr.js is CommonJS typed with `export =`; Node's ESM loader exposes it only as the default export.
export const ipaddr: typeof ipaddrModule =
  (ipaddrModule as unknown as { default?: typeof ipaddrModule }).default ?? ipaddrModule;

/** A parsed IPv4 or IPv6 address. */
export type IpAddress = ipaddrModule.IPv4 | ipaddrModule.IPv6;

/**
 * Parses an IP address literal (IPv6 without brackets), or `undefined`. IPv4-mapped (`::ffff:a.b.c.d`)
 * and IPv4-compatible (`::a.b.c.d`, i.e. `::/96` other than `::` and `::1`, which URL parsers write as
 * `::a9fe:a9fe`) IPv6 addresses become the IPv4 address they embed, so every rule about an IPv4
 * address holds for its IPv6 spellings.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4291#section-2.5.5
 */
export function parseAddress(ip: string): IpAddress | undefined {
  if (!ipaddr.isValid(ip)) return undefined;
  // process() turns IPv4-mapped IPv6 into the IPv4 address it maps.
  const address = ipaddr.process(ip);
  if (address.kind() !== 'ipv6') return address;
  const parts = (address as ipaddrModule.IPv6).parts;
  const range = address.range();
  if (parts.slice(0, 6).every((part) => part === 0) && range !== 'unspecified' && range !== 'loopback') {
    const [high = 0, low = 0] = parts.slice(6);
    return ipaddr.fromByteArray([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  }
  return address;
}
