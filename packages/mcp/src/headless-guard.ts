import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import {
  type AddressPolicy,
  classifyAddress,
  DiscoveryError,
  ErrorCodes,
  isAddressAllowed,
} from '@oauth-discovery/core';
import { Agent } from 'undici';

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function blocked(what: string, address: string, url?: string): DiscoveryError {
  const range = classifyAddress(address);
  return new DiscoveryError(
    ErrorCodes.BLOCKED_ADDRESS,
    `Headless authorization refused ${what}: ${address} is a ${range} address, which the SSRF guard blocks (allow it with allowPrivateNetwork)`,
    {
      ...(url === undefined ? {} : { url }),
      expected: 'a public unicast address',
      actual: { address, range },
    },
  );
}

/**
 * The SSRF guard of the headless front channel, where every hop is a URL an authorization server
 * chose: IP-literal hosts are checked before connecting ({@link assertHopAddress}), host names at
 * connect time by a `lookup` that checks every resolved address and hands exactly those to the
 * socket (no DNS rebinding in between). Plain `http:` hops (loopback hosts only, by the URL policy)
 * must resolve to loopback alone. Core's HTTP client applies the same rules to discovery; it cannot
 * be used here because headless mode must read each redirect itself.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-7.7
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/security_best_practices#server-side-request-forgery-ssrf
 */
export function createHeadlessAgents(policy: AddressPolicy, connectTimeoutMs: number) {
  const agents = new Map<boolean, Agent>();
  const lookupFor =
    (loopbackOnly: boolean) =>
    (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, []);
        const refused = addresses.find(
          (entry) =>
            !isAddressAllowed(entry.address, policy) ||
            (loopbackOnly && classifyAddress(entry.address) !== 'loopback'),
        );
        if (refused !== undefined) return callback(blocked(hostname, refused.address), []);
        if (options.all === true) return callback(null, addresses);
        const [first] = addresses;
        if (first === undefined) return callback(blocked(hostname, '(no address)'), []);
        return callback(null, first.address, first.family);
      });
    };
  return {
    /** The dispatcher for a hop (`http:` hops get the loopback-only one). */
    for(url: URL): Agent {
      const loopbackOnly = url.protocol === 'http:';
      let agent = agents.get(loopbackOnly);
      if (agent === undefined) {
        agent = new Agent({ connect: { timeout: connectTimeoutMs, lookup: lookupFor(loopbackOnly) } });
        agents.set(loopbackOnly, agent);
      }
      return agent;
    },
    async close(): Promise<void> {
      await Promise.all([...agents.values()].map((agent) => agent.close()));
      agents.clear();
    },
  };
}

/**
 * Checks an IP-literal hop before connecting (Node's `net.connect` does not call `lookup` for them).
 *
 * @throws {DiscoveryError} `BLOCKED_ADDRESS`
 */
export function assertHopAddress(url: URL, policy: AddressPolicy): void {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host) === 0) return;
  const where = `${url.origin}${url.pathname}`;
  if (!isAddressAllowed(host, policy)) throw blocked(where, host, where);
}
