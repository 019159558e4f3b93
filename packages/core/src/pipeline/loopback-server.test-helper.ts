import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import type {
  AuthorizationServerFound,
  DiscoveryStrategy,
  StrategyContext,
  StrategyOutcome,
} from '../types.js';

/** What a test server answers on one path. */
export interface RouteSpec {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON-serialised unless a string. */
  readonly body?: unknown;
  /** Wait this long before answering (latency injection). */
  readonly delayMs?: number;
  /** Answer only once this settles (orders events without timing). Combined with `delayMs`: both. */
  readonly until?: Promise<unknown>;
}

/** A real `node:http` server on a loopback address, with a log of what it saw. */
export interface TestServer {
  readonly origin: string;
  url(path: string): string;
  /** Requests seen, as `GET /path` in arrival order. */
  readonly requests: string[];
  /** Paths whose connection the client closed before the answer was sent. */
  readonly closedEarly: string[];
  close(): Promise<void>;
}

/**
 * Starts a server on `host` (any 127.0.0.0/8 address, port 0). Unknown paths answer 404. Each
 * request and each early close is also pushed to `log` (shared across servers and test strategies,
 * so a test can assert the order of events without timing).
 */
export async function startServer(
  host: string,
  routes: Readonly<Record<string, RouteSpec | ((request: IncomingMessage) => RouteSpec)>>,
  log: string[] = [],
): Promise<TestServer> {
  const requests: string[] = [];
  const closedEarly: string[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    requests.push(`${request.method} ${path}`);
    log.push(`server ${host} ${request.method} ${path}`);
    const route = routes[path];
    const spec: RouteSpec =
      route === undefined
        ? { status: 404, body: { error: 'not found' } }
        : typeof route === 'function'
          ? route(request)
          : route;
    const answer = (): void => {
      const body = typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body ?? {});
      response.writeHead(spec.status ?? 200, { 'content-type': 'application/json', ...spec.headers });
      response.end(body);
    };
    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    response.on('close', () => {
      if (response.writableFinished) return;
      closed = true;
      clearTimeout(timer);
      closedEarly.push(path);
      log.push(`server ${host} closed ${path}`);
    });
    void Promise.resolve(spec.until).then(() => {
      if (closed) return;
      if (spec.delayMs === undefined) answer();
      else timer = setTimeout(answer, spec.delayMs);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    requests,
    closedEarly,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A minimal accepted authorization server for test strategies. */
export function foundServer(
  issuer: string,
  source: string,
  metadataUrl: string | null = null,
): AuthorizationServerFound {
  return {
    issuer,
    metadataUrl,
    metadata: { issuer, code_challenge_methods_supported: ['S256'] },
    issuerCheck: 'exact',
    source,
  };
}

/** Options of {@link fetchStrategy}. */
export interface FetchStrategyOptions {
  /** Shared log: `run <name>` is pushed when the strategy starts running. */
  readonly log?: string[];
  /** Declare `prefetch` returning the URL (for speculation). Default true. */
  readonly prefetch?: boolean;
  readonly contributes?: DiscoveryStrategy['contributes'];
}

/**
 * A test strategy that GETs one URL: a 2xx JSON body with an `issuer` is "found" (as the
 * authorization server), anything else "not found".
 */
export function fetchStrategy(
  name: string,
  url: string,
  options: FetchStrategyOptions = {},
): DiscoveryStrategy {
  return {
    name,
    contributes: options.contributes ?? ['authorizationServer'],
    async run(ctx: StrategyContext): Promise<StrategyOutcome> {
      options.log?.push(`run ${name}`);
      const response = await ctx.http.request(url, { signal: ctx.signal });
      const issuer = (response.json as { issuer?: unknown } | undefined)?.issuer;
      if (response.status !== 200 || typeof issuer !== 'string') {
        return { status: 'not-found', reason: `no metadata at ${url} (HTTP ${response.status})` };
      }
      return { status: 'found', contribution: { authorizationServer: foundServer(issuer, name, url) } };
    },
    ...(options.prefetch === false ? {} : { prefetch: () => [url] }),
  };
}

/** A promise with its resolve function, for gating a server answer on an event. */
export function gate(): { readonly promise: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * Returns `track`, which registers a server or pipeline to be closed after each test and returns it.
 * Call at module level (it registers an `afterEach`).
 */
export function closeAfterEach(): <T extends { close(): Promise<void> }>(closable: T) => T {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((closable) => closable.close()));
  });
  return (closable) => {
    open.push(closable);
    return closable;
  };
}
