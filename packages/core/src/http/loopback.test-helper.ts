import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { createHttpClient, type SafeHttpClient } from './client.js';
import type { HttpClientOptions } from './client-options.js';

/** Answers one request; `body` is the request body, read in full. */
export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A real `node:http` server on a loopback address. */
export interface TestServer {
  /** `http://127.0.0.x:port`. */
  readonly origin: string;
  readonly port: number;
  /** Requests seen, as `GET /path`, in arrival order. */
  readonly requests: string[];
  /** TCP connections accepted so far (a refused connect-time check leaves it unchanged). */
  readonly connections: number;
  close(): Promise<void>;
}

/** Starts a server on `host` (any 127.0.0.0/8 address, port 0) that hands each request to `handler`. */
export async function serve(host: string, handler: Handler): Promise<TestServer> {
  const requests: string[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => handler(req, res, body));
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    port,
    requests,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A factory of HTTP clients with `defaults`, each closed after the test. Call it at module level
 * (it registers an `afterEach`).
 */
export function clientFactory(
  defaults: HttpClientOptions = {},
): (options?: HttpClientOptions) => SafeHttpClient {
  const clients: SafeHttpClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  return (options = {}) => {
    const created = createHttpClient({ ...defaults, ...options });
    clients.push(created);
    return created;
  };
}
