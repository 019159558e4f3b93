import type { LookupAddress, LookupAllOptions } from 'node:dns';
import type { Dispatcher } from 'undici';
import { DiscoveryError, ErrorCodes } from '../errors.js';
import { ADDRESS_RANGES, type AddressRange } from './address-policy.js';

/**
 * A `dns.lookup`-compatible resolver. The client always calls it with `{ all: true }`; a function
 * that answers with a single address (`callback(null, address, family)`) works too.
 */
export type LookupFunction = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

/** Options of {@link createHttpClient}. Every field is optional and defaults to the safe choice. */
export interface HttpClientOptions {
  /** Time to resolve the host and open the connection (TCP, and TLS for https:), in ms. Default 5000. */
  readonly connectTimeoutMs?: number;
  /** Time from sending the request until the response headers arrive, in ms. Default 10000. */
  readonly headersTimeoutMs?: number;
  /** Longest pause between two chunks of the body, in ms. Default 10000. */
  readonly bodyTimeoutMs?: number;
  /** Overall time for one `request()` call, redirects and body included, in ms. Default 15000. */
  readonly requestTimeoutMs?: number;
  /** Largest body read, in bytes. Default 1 MiB. A 2xx body over it fails with `RESPONSE_TOO_LARGE`. */
  readonly maxBodyBytes?: number;
  /** Most redirects followed for one request. Default 3; 0 follows none. */
  readonly maxRedirects?: number;
  /** Follow redirects to another origin (the `Authorization` and `Cookie` headers are dropped). Weakens security. Default false. */
  readonly allowCrossOriginRedirects?: boolean;
  /** Turn the SSRF guard off: connect to any address, private and loopback included. Weakens security. Default false. */
  readonly allowPrivateNetwork?: boolean | undefined;
  /** Address ranges allowed for every request on top of public unicast (finer than `allowPrivateNetwork`). Default none. */
  readonly allowAddressRanges?: readonly AddressRange[];
  /** `User-Agent` header. Default {@link DEFAULT_USER_AGENT}. */
  readonly userAgent?: string;
  /** `MCP-Protocol-Version` header sent with every request; `null` sends none. Default {@link DEFAULT_MCP_PROTOCOL_VERSION}. */
  readonly mcpProtocolVersion?: string | null;
  /** Resolver used by the SSRF guard instead of `dns.lookup` (tests map a test host name to a loopback address). */
  readonly lookup?: LookupFunction;
  /**
   * An undici dispatcher to send requests with instead of the client's own agents. The URL policy and
   * the IP-literal check still apply, but the connect-time check of resolved addresses does not:
   * with your own dispatcher the SSRF guard for host names is your business. `close()` leaves it open.
   */
  readonly dispatcher?: Dispatcher;
}

/** The options in effect, defaults filled in. */
export interface ResolvedHttpClientOptions {
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxBodyBytes: number;
  readonly maxRedirects: number;
  readonly allowCrossOriginRedirects: boolean;
  readonly allowPrivateNetwork: boolean;
  readonly allowAddressRanges: readonly AddressRange[];
  readonly userAgent: string;
  readonly mcpProtocolVersion: string | null;
  readonly lookup: LookupFunction | undefined;
  readonly dispatcher: Dispatcher | undefined;
}

/** Version of this library as sent in the default `User-Agent`. */
export const LIBRARY_VERSION = '0.0.0';

/** Default `User-Agent` header. */
export const DEFAULT_USER_AGENT = `oauth-discovery/${LIBRARY_VERSION} (+https://github.com/oauth-discovery)`;

/**
 * Default `MCP-Protocol-Version` header: the MCP revision this library implements.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#protocol-version-header
 */
export const DEFAULT_MCP_PROTOCOL_VERSION = '2025-11-25';

/** Defaults of the numeric options. */
export const HTTP_DEFAULTS = {
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  maxBodyBytes: 1024 * 1024,
  maxRedirects: 3,
} as const;

/** Fills in defaults and checks the options; a bad value fails with `INVALID_CONFIG` naming the key. */
export function resolveHttpClientOptions(options: HttpClientOptions = {}): ResolvedHttpClientOptions {
  const number = (key: keyof typeof HTTP_DEFAULTS, min: number): number => {
    const value = options[key] ?? HTTP_DEFAULTS[key];
    if (!Number.isInteger(value) || value < min) {
      throw new DiscoveryError(
        ErrorCodes.INVALID_CONFIG,
        `HTTP client option ${key} must be an integer >= ${min}`,
        {
          expected: `an integer >= ${min}`,
          actual: value,
        },
      );
    }
    return value;
  };
  const ranges = options.allowAddressRanges ?? [];
  const unknown = ranges.filter((range) => !ADDRESS_RANGES.includes(range));
  if (unknown.length > 0) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      `HTTP client option allowAddressRanges has unknown ranges: ${unknown.join(', ')}`,
      { expected: ADDRESS_RANGES, actual: unknown },
    );
  }
  return {
    connectTimeoutMs: number('connectTimeoutMs', 1),
    headersTimeoutMs: number('headersTimeoutMs', 1),
    bodyTimeoutMs: number('bodyTimeoutMs', 1),
    requestTimeoutMs: number('requestTimeoutMs', 1),
    maxBodyBytes: number('maxBodyBytes', 1),
    maxRedirects: number('maxRedirects', 0),
    allowCrossOriginRedirects: options.allowCrossOriginRedirects ?? false,
    allowPrivateNetwork: options.allowPrivateNetwork ?? false,
    allowAddressRanges: [...ranges],
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    mcpProtocolVersion:
      options.mcpProtocolVersion === undefined ? DEFAULT_MCP_PROTOCOL_VERSION : options.mcpProtocolVersion,
    lookup: options.lookup,
    dispatcher: options.dispatcher,
  };
}
