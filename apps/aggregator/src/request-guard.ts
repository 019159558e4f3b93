import type { IncomingHttpHeaders } from 'node:http';
import { isLoopbackHost } from '@oauth-discovery/core/http';

/** Where the aggregator can legitimately be reached. */
export interface RequestGuardOptions {
  /** The configured `publicUrl`, if any. */
  readonly publicUrl?: string | undefined;
  /** `listen.host` as configured. */
  readonly listenHost: string;
  /** The port actually listened on (port 0 resolved). */
  readonly port: number;
}

/** Why a request was refused: which header, and a sentence naming what is accepted. */
export interface RequestRefusal {
  readonly header: 'host' | 'origin';
  readonly message: string;
}

/** Addresses that mean "every interface": they are never a `Host` a client can legitimately send. */
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '::0', '']);

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

interface HostPort {
  readonly hostname: string;
  readonly port: string;
}

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `{hostname, port}` of an absolute URL, the port made explicit. */
function hostPortOf(url: URL): HostPort {
  return { hostname: url.hostname.toLowerCase(), port: url.port || (DEFAULT_PORTS[url.protocol] ?? '') };
}

/**
 * The DNS-rebinding and cross-origin check of every route: the `Host` header must name the configured
 * public URL or the bind address (for a loopback bind, `localhost` too), and an `Origin` header, when a
 * browser sends one, must be one of those origins. A page whose name was rebound to 127.0.0.1 sends its
 * own name in both, and is refused. Requests without `Origin` (non-browser clients) pass the second check.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#security-warning
 * @see https://www.rfc-editor.org/rfc/rfc6454#section-7
 */
export function createRequestGuard(options: RequestGuardOptions) {
  const hosts: HostPort[] = [];
  const origins = new Set<string>();
  const port = String(options.port);
  if (options.publicUrl !== undefined) {
    const url = new URL(options.publicUrl);
    hosts.push(hostPortOf(url));
    origins.add(url.origin);
  }
  const names = WILDCARDS.has(options.listenHost.toLowerCase()) ? [] : [options.listenHost];
  if (isLoopbackHost(options.listenHost) || WILDCARDS.has(options.listenHost)) names.push('localhost');
  for (const name of names) {
    const url = new URL(`http://${bracketed(name)}:${port}`);
    hosts.push(hostPortOf(url));
    origins.add(url.origin);
  }
  const accepted = [...origins].join(', ');

  function hostAllowed(header: string | undefined): boolean {
    if (header === undefined || header === '') return false;
    let url: URL;
    try {
      url = new URL(`http://${header}`);
    } catch {
      return false;
    }
    if (url.username !== '' || url.pathname !== '/' || url.search !== '' || url.hash !== '') return false;
    const hostname = url.hostname.toLowerCase();
    // Without a port, Host means the default port of whichever scheme the client used.
    return hosts.some(
      (allowed) =>
        allowed.hostname === hostname &&
        (url.port === '' ? Object.values(DEFAULT_PORTS).includes(allowed.port) : url.port === allowed.port),
    );
  }

  function originAllowed(header: string): boolean {
    try {
      return origins.has(new URL(header).origin);
    } catch {
      return false; // "null" (sandboxed pages, file:) and garbage
    }
  }

  return {
    /** The origins a browser may send (for messages and docs). */
    origins: [...origins],
    /** `undefined` when the request may proceed; otherwise why it is refused (answer 403). */
    check(headers: IncomingHttpHeaders): RequestRefusal | undefined {
      if (!hostAllowed(headers.host))
        return {
          header: 'host',
          message: `Host header is not this aggregator's address (accepted: ${accepted}; set publicUrl to the URL clients use)`,
        };
      const origin = headers.origin;
      if (origin !== undefined && !originAllowed(origin))
        return {
          header: 'origin',
          message: `Origin is not this aggregator's (accepted: ${accepted}); cross-origin browser requests are refused`,
        };
      return undefined;
    },
  };
}

/** The guard {@link createRequestGuard} returns. */
export type RequestGuard = ReturnType<typeof createRequestGuard>;
