import { isIP } from 'node:net';
import { type AddressRange, classifyAddress, isLoopbackHost } from '@oauth-discovery/core';

/**
 * The non-public address range the MCP server itself is on (`localhost` names and IP literals only,
 * like the pipeline's own rule): token, registration and headless requests may then reach that
 * range too, so a local MCP server can use a local authorization server. A DNS name is not resolved
 * for this — a name is no proof of where a server lives.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-7.7
 */
export function resourceAddressRanges(serverUrl: string): readonly AddressRange[] {
  const { hostname } = new URL(serverUrl);
  if (isLoopbackHost(hostname)) return ['loopback'];
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (isIP(host) === 0) return [];
  const range = classifyAddress(host);
  return range === 'unicast' ? [] : [range];
}
