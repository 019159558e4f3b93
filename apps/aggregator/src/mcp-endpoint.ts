import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  isInitializeRequest,
  ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { GatewayUser } from './gateway-auth.js';
import type { ToolRegistry } from './tool-registry.js';

interface Session {
  /** The user who initialized the session: only they may use it. */
  readonly userId: string;
  readonly server: Server;
  readonly transport: StreamableHTTPServerTransport;
  /** When a request of this session last ended (or began), by the endpoint's clock. */
  lastSeen: number;
  /** Requests of this session being answered (an open GET stream counts). */
  inFlight: number;
}

/** Bounds on the MCP sessions the endpoint keeps. */
export interface SessionLimits {
  /** At most this many sessions; a new one evicts the least recently used. */
  readonly max: number;
  /** At most this many sessions of one user; their new one evicts their least recently used. */
  readonly maxPerUser?: number | undefined;
  /** A session with no request for this long (and none open) is closed, in ms. */
  readonly idleMs: number;
  /** The clock idleness is measured with. Default `Date.now`. */
  readonly now?: () => number;
  /** A session was closed by the endpoint (`idle` or `evicted` to make room). */
  readonly onClosed?: (why: 'idle' | 'evicted', sessionCount: number) => void;
  /** Awaited before a user's session is created (their upstreams' first attempt, bounded). */
  readonly prepare?: (user: GatewayUser) => Promise<void>;
}

function sendJsonRpcError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/**
 * The aggregator's MCP endpoint over streamable HTTP, with sessions (`Mcp-Session-Id`) so that
 * `notifications/tools/list_changed` reaches every client on its GET stream when an upstream connects
 * or drops. Each session has its own SDK `Server` over the shared tool registry. Sessions are bounded:
 * at most `limits.max` (a new one closes the least recently used), and one idle for `limits.idleMs`
 * is closed; a client whose session was closed gets 404 and initializes again, as the transport says.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools#list-changed-notification
 */
export function createMcpEndpoint(
  registryFor: (user: GatewayUser) => ToolRegistry,
  info: { name: string; version: string },
  limits: SessionLimits,
) {
  const now = limits.now ?? Date.now;
  /** Initialized sessions by id. */
  const sessions = new Map<string, Session>();
  /** Every session, initialized or not, oldest use first (a Set keeps insertion order; use = re-insert). */
  const live = new Set<Session>();

  function forget(session: Session): void {
    live.delete(session);
    const id = session.transport.sessionId;
    if (id !== undefined && sessions.get(id) === session) sessions.delete(id);
  }

  function closeSession(session: Session, why: 'idle' | 'evicted'): void {
    forget(session);
    limits.onClosed?.(why, live.size);
    void session.server.close().catch(() => undefined);
  }

  function sweep(): void {
    const cutoff = now() - limits.idleMs;
    for (const session of live)
      if (session.inFlight === 0 && session.lastSeen <= cutoff) closeSession(session, 'idle');
  }

  /** Makes room for one more session: idle ones first, then the least recently used. */
  function makeRoom(user: GatewayUser): void {
    sweep();
    // One user's flood of sessions evicts only their own (oldest first), never another user's.
    const own = () => [...live].filter((session) => session.userId === user.id);
    for (let mine = own(); mine.length >= (limits.maxPerUser ?? limits.max); mine = own())
      closeSession(mine.find((session) => session.inFlight === 0) ?? (mine[0] as Session), 'evicted');
    while (live.size >= limits.max) {
      let victim: Session | undefined;
      for (const session of live) {
        if (session.inFlight === 0) {
          victim = session;
          break;
        }
      }
      victim ??= live.values().next().value;
      if (victim === undefined) return;
      closeSession(victim, 'evicted');
    }
  }

  const sweeper = setInterval(sweep, Math.max(1000, Math.min(limits.idleMs, 60_000)));
  sweeper.unref();

  /** Marks a session used for the duration of one request. */
  function using(session: Session, res: ServerResponse): void {
    session.inFlight += 1;
    session.lastSeen = now();
    if (live.delete(session)) live.add(session);
    res.once('close', () => {
      session.inFlight -= 1;
      session.lastSeen = now();
    });
  }

  function createSession(user: GatewayUser): Session {
    const registry = registryFor(user);
    // The low-level Server: tools come and go with the upstreams and carry their own JSON schemas.
    const server = new Server(info, { capabilities: { tools: { listChanged: true } } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: registry.list() }));
    server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
      registry.call(request.params.name, request.params.arguments, extra.signal),
    );
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, session);
      },
    });
    transport.onclose = () => forget(session);
    const session: Session = { userId: user.id, server, transport, lastSeen: now(), inFlight: 0 };
    live.add(session);
    return session;
  }

  return {
    /** Handles POST/GET/DELETE on the MCP path for `user`; `body` is the parsed JSON of a POST. */
    async handle(req: IncomingMessage, res: ServerResponse, body: unknown, user: GatewayUser): Promise<void> {
      const id = req.headers['mcp-session-id'];
      if (typeof id === 'string') {
        const session = sessions.get(id);
        // Another user's session id is as unknown as a made-up one.
        if (!session || session.userId !== user.id) {
          sendJsonRpcError(res, 404, `Session ${id} not found; initialize a new session`);
          return;
        }
        using(session, res);
        await session.transport.handleRequest(req, res, body);
        return;
      }
      if (req.method !== 'POST' || !isInitializeRequest(body)) {
        sendJsonRpcError(res, 400, 'No Mcp-Session-Id: the first request must be an initialize POST');
        return;
      }
      await limits.prepare?.(user);
      makeRoom(user);
      const session = createSession(user);
      using(session, res);
      await session.server.connect(session.transport);
      await session.transport.handleRequest(req, res, body);
    },
    /** Tells every session of the user that their tool list changed. */
    notifyToolsChanged(user: GatewayUser): void {
      for (const session of sessions.values())
        if (session.userId === user.id) void session.server.sendToolListChanged().catch(() => undefined);
    },
    /** Sessions kept (initialized or being initialized). */
    get sessionCount(): number {
      return live.size;
    },
    async close(): Promise<void> {
      clearInterval(sweeper);
      const open = [...live];
      live.clear();
      sessions.clear();
      await Promise.all(open.map((session) => session.server.close().catch(() => undefined)));
    },
  };
}

/** The endpoint {@link createMcpEndpoint} returns. */
export type McpEndpoint = ReturnType<typeof createMcpEndpoint>;
