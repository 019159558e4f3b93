import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RequestLogEntry } from './world-types.js';

/** A started loopback server that can be closed without waiting for keep-alive connections. */
export interface LoopbackServer {
  readonly server: Server;
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Listens on `host`:0 and returns the origin; `close()` destroys every open connection so tests never
 * hang on keep-alive or unfinished requests.
 */
export async function listenLoopback(host: string, listener: RequestListener): Promise<LoopbackServer> {
  const server = createServer(listener);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await new Promise<number>((done, fail) => {
    server.once('error', fail);
    server.listen(0, host, () => done((server.address() as AddressInfo).port));
  });
  return {
    server,
    origin: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      }),
  };
}

/** Reads the whole request body as text (test servers only see small bodies). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

/** Sends a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Appends a request to `log` (the entry shape of every testkit server) and marks it aborted if the
 * client leaves early — unless `closing()` says the server itself is shutting down.
 */
export function logRequest(
  log: RequestLogEntry[],
  origin: string,
  name: string,
  started: number,
  req: IncomingMessage,
  res: ServerResponse,
  closing: () => boolean = () => false,
): RequestLogEntry {
  const url = new URL(req.url ?? '/', origin);
  const entry: RequestLogEntry = {
    origin: name,
    method: req.method ?? 'GET',
    path: url.pathname,
    url: url.href,
    headers: req.headers,
    time: performance.now() - started,
    aborted: false,
  };
  log.push(entry);
  res.on('close', () => {
    if (!res.writableFinished && !closing()) entry.aborted = true;
  });
  return entry;
}
