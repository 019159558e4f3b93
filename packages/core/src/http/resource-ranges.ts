import { type AddressRange, classifyAddress, isIpAddress, isLoopbackHost } from './address-policy.js';

/**
 * The non-public address range a protected resource itself is on, judged from its URL alone:
 * `localhost` names and IP literals. Requests made for that resource (discovery, token,
 * registration, the headless front channel) may reach that range too, so a local MCP server can use
 * a local authorization server. A DNS name is deliberately not resolved for this: a name is no proof
 * of where a server lives, and one that resolves to a private address must not unlock the private
 * network (use `allowPrivateNetwork` for that). Empty for a public resource.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-7.7
 */
export function resourceAddressRanges(resource: string | URL): readonly AddressRange[] {
  const { hostname } = new URL(resource);
  if (isLoopbackHost(hostname)) return ['loopback'];
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (!isIpAddress(host)) return [];
  const range = classifyAddress(host);
  return range === 'unicast' ? [] : [range];
}
