import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { logRequest } from './http-util.js';
import type { RequestLogEntry, Route, RouteSpec, World, WorldSpec, WorldValue } from './world-types.js';

interface RunningOrigin {
  readonly name: string;
  readonly server: Server;
  readonly origin: string;
}

/** Shared state of one world, used by the request handler. */
interface WorldRuntime {
  readonly world: World;
  readonly log: RequestLogEntry[];
  readonly turns: Map<string, number>;
  readonly timers: Set<NodeJS.Timeout>;
  readonly started: number;
  closing: boolean;
}

const NOT_FOUND = JSON.stringify({ error: 'not_found' });
const STREAM_CHUNK = 64 * 1024;

/** True once the client (or the world) has closed the connection of this response. */
function gone(res: ServerResponse): boolean {
  return res.destroyed || !res.socket || res.socket.destroyed;
}

function resolve<T>(value: WorldValue<T>, world: World): T {
  return typeof value === 'function' ? (value as (w: World) => T)(world) : value;
}

function sleep(runtime: WorldRuntime, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => {
      runtime.timers.delete(timer);
      done();
    }, ms);
    runtime.timers.add(timer);
  });
}

function findRoute(routes: Readonly<Record<string, Route>>, pathAndQuery: string, path: string) {
  if (Object.hasOwn(routes, pathAndQuery)) return { key: pathAndQuery, route: routes[pathAndQuery] };
  if (Object.hasOwn(routes, path)) return { key: path, route: routes[path] };
  return undefined;
}

function pickTurn(runtime: WorldRuntime, key: string, route: Route): RouteSpec {
  if (!Array.isArray(route)) return route as RouteSpec;
  const list = route as readonly RouteSpec[];
  const turn = runtime.turns.get(key) ?? 0;
  runtime.turns.set(key, turn + 1);
  return list[Math.min(turn, list.length - 1)] ?? {};
}

/** A syntactically valid JSON document of exactly `size` bytes (minimum 2: `{}`). */
function* hugeJson(size: number): Generator<string> {
  const head = '{"padding":"';
  const tail = '"}';
  if (size < head.length + tail.length) {
    yield '{}'.padEnd(Math.max(size, 2), ' ');
    return;
  }
  yield head;
  let left = size - head.length - tail.length;
  while (left > 0) {
    const n = Math.min(left, STREAM_CHUNK);
    yield 'x'.repeat(n);
    left -= n;
  }
  yield tail;
}

async function writeStream(res: ServerResponse, parts: Iterable<string>): Promise<void> {
  for (const part of parts) {
    if (gone(res)) return;
    if (!res.write(part)) {
      await new Promise<void>((done) => {
        const finish = () => {
          res.off('drain', finish);
          res.off('close', finish);
          done();
        };
        res.on('drain', finish);
        res.on('close', finish);
      });
    }
  }
  if (!gone(res)) res.end();
}

function bodyOf(spec: RouteSpec, world: World): { text: string; type: string } | undefined {
  if (spec.garbage) return { text: '{"issuer": "http://garbage', type: 'application/json' };
  if (spec.json !== undefined)
    return { text: JSON.stringify(resolve(spec.json, world)), type: 'application/json' };
  if (spec.body !== undefined) return { text: resolve(spec.body, world), type: 'text/plain; charset=utf-8' };
  return undefined;
}

function split(text: string, chunks: number): string[] {
  const n = Math.max(1, Math.floor(chunks));
  const size = Math.ceil(text.length / n) || 1;
  const parts: string[] = [];
  for (let i = 0; i < n; i += 1) parts.push(text.slice(i * size, (i + 1) * size));
  return parts;
}

async function serveRoute(
  runtime: WorldRuntime,
  spec: RouteSpec,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { world } = runtime;
  if (spec.method !== undefined && spec.method !== '*' && req.method !== spec.method) {
    req.resume();
    res.writeHead(405, { allow: spec.method, 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'method_not_allowed' }));
    return;
  }
  await sleep(runtime, spec.delayMs ?? 0);
  if (gone(res) || runtime.closing) return;
  if (spec.handler) {
    await spec.handler(req, res, world);
    return;
  }
  req.resume();
  if (spec.hang) return;

  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    res.setHeader(name, resolve(value, world) as string | string[]);
  }
  if (spec.redirect !== undefined) res.setHeader('location', String(resolve(spec.redirect, world)));
  res.statusCode = spec.status ?? (spec.redirect !== undefined ? 302 : 200);

  if (spec.bytes !== undefined) {
    res.setHeader('content-type', spec.contentType ?? 'application/json');
    await writeStream(res, hugeJson(spec.bytes));
    return;
  }
  const body = bodyOf(spec, world);
  if (body) res.setHeader('content-type', spec.contentType ?? body.type);
  else if (spec.contentType !== undefined) res.setHeader('content-type', spec.contentType);
  const text = body?.text ?? '';

  if (spec.slowBody) {
    res.flushHeaders();
    for (const part of split(text, spec.slowBody.chunks)) {
      await sleep(runtime, spec.slowBody.intervalMs);
      if (gone(res) || runtime.closing) return;
      res.write(part);
    }
    res.end();
    return;
  }
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

function handlerFor(
  runtime: WorldRuntime,
  name: string,
  origin: () => string,
  latencyMs: number,
  routes: Readonly<Record<string, Route>>,
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const entry = logRequest(runtime.log, origin(), name, runtime.started, req, res, () => runtime.closing);
    const target = new URL(entry.url);
    try {
      await sleep(runtime, latencyMs);
      if (gone(res) || runtime.closing) return;
      const found = findRoute(routes, target.pathname + target.search, target.pathname);
      if (!found?.route) {
        req.resume();
        res.writeHead(404, { 'content-type': 'application/json', 'content-length': NOT_FOUND.length });
        res.end(NOT_FOUND);
        return;
      }
      await serveRoute(runtime, pickTurn(runtime, found.key, found.route), req, res);
    } catch (error) {
      // A broken test route must fail loudly in the test, not hang it: answer 500 with the reason.
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'testkit_route_failed', message: String(error) }));
      } else {
        res.destroy();
      }
    }
  };
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, host, () => {
      server.off('error', fail);
      done((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Starts every origin of `spec` as a real HTTP server on its own loopback address (`127.0.0.1`,
 * `127.0.0.2`, … in the order the origins are listed, port 0) and returns the running world.
 *
 * @example
 * const world = await startWorld({ origins: { mcp: { routes: { '/mcp': { status: 401 } } } } });
 * try { await request(world.url('mcp', '/mcp')); } finally { await world.close(); }
 */
export async function startWorld(spec: WorldSpec): Promise<World> {
  const origins = new Map<string, RunningOrigin>();
  const sockets = new Set<Socket>();

  const need = (name: string): RunningOrigin => {
    const found = origins.get(name);
    if (!found) {
      throw new DiscoveryError(
        ErrorCodes.INVALID_CONFIG,
        `testkit world has no origin named "${name}" (known: ${[...origins.keys()].join(', ') || 'none'})`,
        { expected: [...origins.keys()], actual: name },
      );
    }
    return found;
  };

  const world: World = {
    spec,
    origin: (name) => need(name).origin,
    url: (name, path) => {
      if (!path.startsWith('/')) {
        throw new DiscoveryError(ErrorCodes.INVALID_CONFIG, `testkit world.url: path must start with "/"`, {
          expected: '/…',
          actual: path,
        });
      }
      return need(name).origin + path;
    },
    get requests() {
      return runtime.log;
    },
    requestsTo: (name) => runtime.log.filter((entry) => entry.origin === name),
    clearLog: () => {
      runtime.log.length = 0;
      runtime.turns.clear();
    },
    close: async () => {
      runtime.closing = true;
      for (const timer of runtime.timers) clearTimeout(timer);
      runtime.timers.clear();
      const closing = [...origins.values()].map(
        ({ server }) => new Promise<void>((done) => server.close(() => done())),
      );
      for (const socket of sockets) socket.destroy();
      for (const { server } of origins.values()) server.closeAllConnections();
      await Promise.all(closing);
    },
  };
  const runtime: WorldRuntime = {
    world,
    log: [],
    turns: new Map(),
    timers: new Set(),
    started: performance.now(),
    closing: false,
  };

  let index = 0;
  try {
    for (const [name, originSpec] of Object.entries(spec.origins)) {
      index += 1;
      const host = originSpec.host ?? `127.0.0.${index}`;
      let originUrl = '';
      const server = createServer(
        handlerFor(
          runtime,
          name,
          () => originUrl,
          originSpec.latencyMs ?? spec.latencyMs ?? 0,
          originSpec.routes ?? {},
        ),
      );
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
      });
      const port = await listen(server, host);
      originUrl = `http://${host}:${port}`;
      origins.set(name, { name, server, origin: originUrl });
    }
  } catch (error) {
    await world.close();
    throw error;
  }
  return world;
}
