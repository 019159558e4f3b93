import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { DiscoveryError } from '@oauth-discovery/core';
import type { Aggregator } from '../src/index.js';

/** Polls `check` until it returns true; fails with `what` after `timeoutMs` (generous: a noisy machine must not flake). */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** The `DiscoveryError` (an `INVALID_CONFIG`, typically) that `run` throws; fails when it throws none. */
export function configError(run: () => unknown): DiscoveryError {
  try {
    run();
  } catch (error) {
    if (error instanceof DiscoveryError) return error;
    throw error;
  }
  throw new Error('expected INVALID_CONFIG, nothing was thrown');
}

/** Waits until an upstream is in `state`. */
export function waitForState(aggregator: Aggregator, name: string, state: string): Promise<void> {
  return waitFor(
    `${name} to be ${state} (now ${aggregator.upstreams.get(name)?.status().state})`,
    () => aggregator.upstreams.get(name)?.status().state === state,
  );
}

/**
 * The URL of an MCP endpoint nothing listens on: a port that was just free on `host` (not a port fetch
 * refuses to use, like 9, so the connection really is refused).
 */
export async function refusedUrl(host: string): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, host, () => done()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return `http://${host}:${port}/mcp`;
}

/** A temporary storage directory, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'aggregator-test-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** An MCP client (the SDK's) connected to the aggregator, counting `tools/list_changed` notifications. */
export async function connectTestClient(url: string): Promise<{ client: Client; listChanged: () => number }> {
  const client = new Client({ name: 'aggregator-test', version: '0.0.0' });
  let changes = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    changes += 1;
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return { client, listChanged: () => changes };
}

/** Text of the first content block of a tool result. */
export function textOf(result: Record<string, unknown>): string {
  const first = (result.content as { type: string; text?: string }[] | undefined)?.[0];
  return first?.text ?? '';
}

/**
 * Plays the browser for a login: GETs the authorization URL and follows every redirect until the
 * aggregator's callback answers. Returns the final status and page.
 */
export async function followLogin(
  authorizationUrl: string,
): Promise<{ status: number; url: string; body: string }> {
  const response = await fetch(authorizationUrl, { redirect: 'follow' });
  return { status: response.status, url: response.url, body: await response.text() };
}

/**
 * A switchable front for a real server: forwards requests while `up`, drops connections while down, and
 * can hold `tools/call` requests for `holdMs` (to test shutdown with a call in flight). `target` may be
 * given later, as a function, when the server behind must know the proxy's address first.
 */
export async function startSwitchableProxy(target: string | (() => string), host: string) {
  const targetUrl = () => (typeof target === 'string' ? target : target());
  const sockets = new Set<Socket>();
  const state = { up: false, holdMs: 0, toolCalls: 0 };
  const server: Server = createServer((req, res) => {
    if (!state.up) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const forward = () => {
        const upstream = httpRequest(
          new URL(req.url ?? '/', targetUrl()),
          { method: req.method, headers: { ...req.headers, host: new URL(targetUrl()).host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
        upstream.end(body);
      };
      const toolCall = body.includes('"tools/call"');
      if (toolCall) state.toolCalls += 1;
      if (state.holdMs > 0 && toolCall) setTimeout(forward, state.holdMs);
      else forward();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, host, () => done()));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  return {
    origin,
    url: typeof target === 'string' ? `${origin}${new URL(target).pathname}` : origin,
    state,
    /** Takes it down: every open connection is cut, new ones are dropped. */
    down() {
      state.up = false;
      for (const socket of sockets) socket.destroy();
    },
    up() {
      state.up = true;
    },
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

/**
 * One HTTP request with headers fetch would not let a test choose (`Host`), answered in full. The
 * connection goes to `origin` whatever `Host` says — what a DNS-rebound browser does.
 */
export function rawRequest(
  origin: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((done, fail) => {
    const request = httpRequest(
      new URL(path, origin),
      {
        method: options.method ?? 'GET',
        headers: {
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          done({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', fail);
      },
    );
    request.on('error', fail);
    request.end(payload);
  });
}

/** A JSON-RPC `initialize` request body. */
export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
} as const;
