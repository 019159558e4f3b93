import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLoopback } from '../http-util.js';

/** Options of {@link trickle} and {@link startTricklingServer}. */
export interface TrickleOptions {
  /** Time between two bytes, in ms. Default 2000 (the review's slow-loris page). */
  readonly intervalMs?: number;
  /** Status sent at once with the headers. Default 200. */
  readonly status?: number;
  /** Content type. Default `text/html; charset=utf-8`. */
  readonly contentType?: string;
}

/**
 * A handler that sends its headers at once and then one byte every `intervalMs`, forever (until the
 * client or the server closes the connection): it never trips an idle or per-chunk timeout, only an
 * overall deadline stops a client reading it.
 */
export function trickle(options: TrickleOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    req.resume();
    res.writeHead(options.status ?? 200, {
      'content-type': options.contentType ?? 'text/html; charset=utf-8',
    });
    res.write('<');
    const timer = setInterval(() => res.write('x'), options.intervalMs ?? 2_000);
    res.on('close', () => clearInterval(timer));
  };
}

/** A running trickling server. */
export interface TricklingServerHandle {
  /** Any path of it trickles. */
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

/** Starts a loopback server whose every path {@link trickle}s. */
export async function startTricklingServer(
  options: TrickleOptions & { readonly host?: string } = {},
): Promise<TricklingServerHandle> {
  const server = await listenLoopback(options.host ?? '127.0.0.1', trickle(options));
  return { url: `${server.origin}/authorize`, origin: server.origin, close: () => server.close() };
}
