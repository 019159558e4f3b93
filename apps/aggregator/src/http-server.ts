import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isDiscoveryError } from '@oauth-discovery/core';
import { type AuthRefusal, challenge, type GatewayUser, isRefusal } from './gateway-auth.js';
import type { McpEndpoint } from './mcp-endpoint.js';
import { createRequestGuard, type RequestGuard, type RequestRefusal } from './request-guard.js';
import { PAGE_PATHS, PAGE_SECURITY_POLICY } from './status-page.js';
import { sendStatusWaterfall, type UpstreamWaterfall } from './status-waterfall.js';

/** Paths the aggregator serves. */
export const PATHS = {
  mcp: '/mcp',
  status: '/status',
  waterfall: '/status/waterfall',
  /** Every user's status, for the admin group (`auth.adminGroup`). */
  users: '/status/users',
  health: '/healthz',
  callback: '/oauth/callback',
  /** RFC 9728 §3.1: the metadata of the resource `<origin>/mcp`. */
  resourceMetadata: '/.well-known/oauth-protected-resource/mcp',
} as const;

/** The aggregator's RFC 9728 protected resource metadata and where it is published. */
export interface ResourceMetadata {
  /** `resource_metadata` of the challenge, from the configured public URL (never from `Host`). */
  readonly url: string;
  readonly document: Readonly<Record<string, unknown>>;
}

/** What the HTTP server routes to. */
export interface HttpHandlers {
  readonly mcp: McpEndpoint;
  /**
   * Who is calling (routes other than health, metadata and the callbacks), or why they are refused;
   * `page` for the status page and its forms (where a browser session counts).
   */
  readonly authenticate: (req: IncomingMessage, page: boolean) => Promise<GatewayUser | AuthRefusal>;
  /** Browser sign-in to the status page, when configured: the issuer's URL, and the callback's cookie. */
  readonly signIn?: { start(): Promise<string>; finish(query: URLSearchParams): Promise<string> } | undefined;
  /** The metadata to serve and name in challenges; `undefined` with `auth: none`. */
  readonly resourceMetadata: () => ResourceMetadata | undefined;
  readonly status: (user: GatewayUser) => unknown;
  /** Every user's status for an admin; `undefined` when the caller is not one (403). */
  readonly users?: (user: GatewayUser) => Promise<unknown>;
  /** Each upstream's status and last discovery trace, for `GET /status/waterfall`. */
  readonly waterfall?: (user: GatewayUser) => readonly UpstreamWaterfall[];
  readonly health: () => { readonly ok: boolean } & Record<string, unknown>;
  /** Finishes a login from the callback's query; resolves to the upstream's name. */
  readonly callback: (query: URLSearchParams, headers: IncomingHttpHeaders) => Promise<string>;
  /** The status page of `GET /` for the user. */
  readonly page?: (user: GatewayUser) => Promise<string>;
  /** A form of the status page (`POST /ui/login`, `/ui/logout`): where to go next, or an error page. */
  readonly pageAction?: (
    user: GatewayUser,
    action: 'login' | 'logout',
    form: URLSearchParams,
  ) => Promise<{ readonly location: string } | { readonly status: number; readonly message: string }>;
  /** A request refused by the Host/Origin check (for the log). */
  readonly refused?: (refusal: RequestRefusal, path: string) => void;
}

/** Where to listen, and the public URL the Host/Origin check accepts besides the bind address. */
export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  readonly publicUrl?: string | undefined;
}

const MAX_BODY = 4 * 1024 * 1024;

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(`${JSON.stringify(value, null, 2)}\n`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendPage(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': PAGE_SECURITY_POLICY,
  });
  res.end(
    `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><p><a href="${PAGE_PATHS.page}">Status page</a></p>\n`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) throw new RangeError('form over 64 KiB');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new RangeError(`request body over ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

/** A listening HTTP server and how to stop it. */
export interface RunningHttpServer {
  readonly server: Server;
  readonly origin: string;
  /** Waits until no POST is being answered (tool calls in flight), at most `timeoutMs`. */
  drainCalls(timeoutMs: number): Promise<void>;
  /** Stops accepting; waits for requests in flight (up to `graceMs`), then cuts what is left. */
  close(graceMs: number): Promise<void>;
}

/**
 * The aggregator's HTTP server: the MCP endpoint, `GET /status` (JSON), `GET /healthz`, and the OAuth
 * callback that finishes logins. Every route first passes the Host/Origin check (DNS rebinding,
 * cross-origin pages): a refused request gets 403 and reaches no handler.
 */
export async function startHttpServer(
  handlers: HttpHandlers,
  listen: ListenOptions,
): Promise<RunningHttpServer> {
  const { host, port } = listen;
  let guard: RequestGuard | undefined;
  const sockets = new Set<Socket>();
  let active = 0;
  let drained: (() => void) | undefined;
  // POSTs carry the JSON-RPC calls; GETs are long-lived notification streams and do not count.
  const posts = new Set<Promise<void>>();

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://aggregator.invalid');
    const refusal: RequestRefusal | undefined = guard
      ? guard.check(req.headers)
      : { header: 'host', message: 'not listening yet' };
    if (refusal !== undefined) {
      handlers.refused?.(refusal, url.pathname);
      sendJson(res, 403, { error: 'forbidden', header: refusal.header, message: refusal.message });
      return;
    }
    const metadata = handlers.resourceMetadata();
    if (metadata !== undefined && url.pathname === PATHS.resourceMetadata && req.method === 'GET')
      return sendJson(res, 200, metadata.document);
    if (url.pathname === PATHS.health && req.method === 'GET') {
      const health = handlers.health();
      return sendJson(res, health.ok ? 200 : 503, health);
    }
    if (url.pathname === PATHS.callback && req.method === 'GET') return callback(url, req, res);
    if (handlers.signIn && req.method === 'GET' && url.pathname === PAGE_PATHS.signIn) {
      res.writeHead(303, { location: await handlers.signIn.start(), 'cache-control': 'no-store' });
      res.end();
      return;
    }
    if (handlers.signIn && req.method === 'GET' && url.pathname === PAGE_PATHS.signInCallback) {
      try {
        const cookie = await handlers.signIn.finish(url.searchParams);
        res.writeHead(303, { location: PAGE_PATHS.page, 'set-cookie': cookie, 'cache-control': 'no-store' });
        res.end();
      } catch (error) {
        const code = isDiscoveryError(error) ? error.code : 'ERROR';
        sendPage(res, 400, `Sign-in failed: ${code}`, error instanceof Error ? error.message : String(error));
      }
      return;
    }
    const page = url.pathname === PAGE_PATHS.page || url.pathname.startsWith('/ui/');
    const caller = await handlers.authenticate(req, page);
    if (isRefusal(caller) && page && handlers.signIn && req.method === 'GET' && caller.error === undefined) {
      // A browser without a session: off to the team IdP.
      res.writeHead(303, { location: PAGE_PATHS.signIn, 'cache-control': 'no-store' });
      res.end();
      return;
    }
    if (isRefusal(caller)) {
      res.writeHead(caller.status, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        ...(metadata === undefined ? {} : { 'www-authenticate': challenge(metadata.url, caller) }),
      });
      res.end(
        `${JSON.stringify({ error: caller.error ?? 'unauthorized', error_description: caller.description || undefined })}\n`,
      );
      return;
    }
    if (url.pathname === PATHS.mcp) {
      let body: unknown;
      if (req.method === 'POST') {
        try {
          body = await readJson(req);
        } catch (error) {
          sendJson(res, 400, {
            jsonrpc: '2.0',
            error: { code: -32700, message: `Parse error: ${String(error)}` },
            id: null,
          });
          return;
        }
      }
      await handlers.mcp.handle(req, res, body, caller);
      return;
    }
    const action =
      url.pathname === PAGE_PATHS.login ? 'login' : url.pathname === PAGE_PATHS.logout ? 'logout' : undefined;
    if (action !== undefined && req.method === 'POST' && handlers.pageAction) {
      const outcome = await handlers.pageAction(caller, action, await readForm(req));
      if ('location' in outcome) {
        res.writeHead(303, { location: outcome.location, 'cache-control': 'no-store' });
        res.end();
      } else
        sendPage(
          res,
          outcome.status,
          action === 'login' ? 'Log-in refused' : 'Log-out refused',
          outcome.message,
        );
      return;
    }
    if (req.method !== 'GET') {
      sendJson(res, 405, { error: 'method_not_allowed' });
      return;
    }
    if (url.pathname === PAGE_PATHS.page && handlers.page) {
      const page = await handlers.page(caller);
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': PAGE_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      });
      res.end(page);
      return;
    }
    if (url.pathname === PATHS.status) return sendJson(res, 200, handlers.status(caller));
    if (url.pathname === PATHS.users && handlers.users) {
      const users = await handlers.users(caller);
      if (users === undefined)
        return sendJson(res, 403, {
          error: 'forbidden',
          message: 'only the admin group (auth.adminGroup) sees every user',
        });
      return sendJson(res, 200, users);
    }
    if (url.pathname === PATHS.waterfall) return sendStatusWaterfall(res, handlers.waterfall?.(caller) ?? []);
    sendJson(res, 404, { error: 'not_found', paths: Object.values(PATHS) });
  };

  async function callback(url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const upstream = await handlers.callback(url.searchParams, req.headers);
      sendPage(
        res,
        200,
        'Logged in',
        `Upstream ${upstream} is authorized; the aggregator connects it now. You can close this page.`,
      );
    } catch (error) {
      const code = isDiscoveryError(error) ? error.code : 'ERROR';
      const message = error instanceof Error ? error.message : String(error);
      sendPage(res, isDiscoveryError(error) ? 400 : 500, `Login failed: ${code}`, message);
    }
  }

  const server = createServer((req, res) => {
    active += 1;
    if (req.method === 'POST') {
      const done = new Promise<void>((finish) => res.once('close', finish));
      posts.add(done);
      void done.then(() => posts.delete(done));
    }
    res.once('close', () => {
      active -= 1;
      if (active === 0) drained?.();
    });
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', message: String(error) });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done());
  });
  const address = server.address() as AddressInfo;
  guard = createRequestGuard({ publicUrl: listen.publicUrl, listenHost: host, port: address.port });
  const origin = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    server,
    origin,
    async drainCalls(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (posts.size > 0 && Date.now() < deadline) {
        await Promise.race([
          Promise.all(posts),
          new Promise((done) => setTimeout(done, Math.max(0, deadline - Date.now())).unref()),
        ]);
      }
    },
    async close(graceMs) {
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      if (active > 0) {
        await Promise.race([
          new Promise<void>((done) => {
            drained = done;
          }),
          new Promise<void>((done) => setTimeout(done, graceMs).unref()),
        ]);
      }
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
