import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent, type Dispatcher } from 'undici';
import { DiscoveryError, ErrorCodes } from '../errors.js';
import {
  type AddressPolicy,
  type AddressRange,
  classifyAddress,
  isAddressAllowed,
  isIpAddress,
} from './address-policy.js';
import type { LookupFunction } from './client-options.js';

/** The callback Node's `net.connect` hands to a custom `lookup`. */
type NetLookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A `lookup` as Node's `net.connect` calls it: sometimes with `all: true`, sometimes without. */
export type NetLookup = (hostname: string, options: LookupOptions, callback: NetLookupCallback) => void;

/** What the connect-time guard enforces for one family of requests. */
export interface GuardPolicy extends AddressPolicy {
  /**
   * Every resolved address must be loopback. Set for plain `http:` requests, so a `*.localhost`
   * name that resolves elsewhere never carries cleartext off the machine.
   */
  readonly loopbackOnly?: boolean;
}

/**
 * The SSRF guard at connect time: resolves the host (all addresses), refuses the connection with
 * `BLOCKED_ADDRESS` when ANY address is blocked by the policy, and hands the very addresses it
 * checked to the socket, so DNS rebinding between check and connect is impossible.
 * The thrown errors carry no URL (the lookup does not know it); the client adds it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-7.7
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/security_best_practices#server-side-request-forgery-ssrf
 */
export function createGuardedLookup(policy: GuardPolicy, resolve: LookupFunction = defaultLookup): NetLookup {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, result, family) => {
      if (error) return callback(error, []);
      const addresses: LookupAddress[] = Array.isArray(result)
        ? result
        : [{ address: result, family: family ?? (result.includes(':') ? 6 : 4) }];
      const refusal = checkResolved(hostname, addresses, policy);
      if (refusal) return callback(refusal, []);
      if (options.all === true) return callback(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * Checks an IP-literal host before connecting: Node's `net.connect` skips `lookup` for literals, so
 * the guard must look at them itself. Host names are left to {@link createGuardedLookup}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-7.7
 */
export function assertAddressLiteralAllowed(url: URL, policy: AddressPolicy): void {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (!isIpAddress(host) || isAddressAllowed(host, policy)) return;
  const range = classifyAddress(host);
  throw new DiscoveryError(
    ErrorCodes.BLOCKED_ADDRESS,
    `Refusing ${url.href}: ${host} is a ${range} address, which the SSRF guard blocks (allow it with allowPrivateNetwork or allowAddressRanges)`,
    { url: url.href, expected: 'a public unicast address', actual: { address: host, range } },
  );
}

/** One undici Agent per distinct guard policy, created on first use. */
export interface AgentPool {
  get(policy: GuardPolicy): Dispatcher;
  close(): Promise<void>;
}

/** Creates the pool of guarded agents; every agent uses {@link createGuardedLookup} for its connections. */
export function createAgentPool(config: {
  connectTimeoutMs: number;
  lookup: LookupFunction | undefined;
}): AgentPool {
  const agents = new Map<string, Agent>();
  return {
    get(policy) {
      const key = policyKey(policy);
      let agent = agents.get(key);
      if (agent === undefined) {
        agent = new Agent({
          connect: { timeout: config.connectTimeoutMs, lookup: createGuardedLookup(policy, config.lookup) },
        });
        agents.set(key, agent);
      }
      return agent;
    },
    async close() {
      const closing = [...agents.values()].map((agent) => agent.close());
      agents.clear();
      await Promise.all(closing);
    },
  };
}

function policyKey(policy: GuardPolicy): string {
  const ranges =
    policy.allowPrivateNetwork === true ? '*' : [...new Set(policy.allowRanges ?? [])].sort().join(',');
  return `${ranges}|${policy.loopbackOnly === true ? 'loopback-only' : 'any'}`;
}

function checkResolved(
  hostname: string,
  addresses: readonly LookupAddress[],
  policy: GuardPolicy,
): DiscoveryError | undefined {
  if (addresses.length === 0) {
    return new DiscoveryError(ErrorCodes.NETWORK_ERROR, `DNS lookup of ${hostname} returned no address`, {
      expected: 'at least one address',
      actual: [],
    });
  }
  const describe = (address: string): { address: string; range: AddressRange } => ({
    address,
    range: classifyAddress(address),
  });
  const blocked = addresses.find((entry) => !isAddressAllowed(entry.address, policy));
  if (blocked !== undefined) {
    const { address, range } = describe(blocked.address);
    return new DiscoveryError(
      ErrorCodes.BLOCKED_ADDRESS,
      `${hostname} resolved to ${address}, a ${range} address, which the SSRF guard blocks (allow it with allowPrivateNetwork or allowAddressRanges)`,
      { expected: 'only public unicast addresses', actual: { hostname, address, range } },
    );
  }
  if (policy.loopbackOnly === true) {
    const outside = addresses.find((entry) => classifyAddress(entry.address) !== 'loopback');
    if (outside !== undefined) {
      const { address, range } = describe(outside.address);
      return new DiscoveryError(
        ErrorCodes.INSECURE_URL,
        `${hostname} resolved to ${address}, a ${range} address: plain http: is only allowed to loopback addresses`,
        { expected: 'loopback addresses only for http:', actual: { hostname, address, range } },
      );
    }
  }
  return undefined;
}

const defaultLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, options, callback);
};
