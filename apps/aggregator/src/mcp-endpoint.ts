import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  isInitializeRequest,
  ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { ToolRegistry } from './tool-registry.js';

interface Session {
  readonly server: Server;
  readonly transport: StreamableHTTPServerTransport;
}

function sendJsonRpcError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/**
 * The aggregator's MCP endpoint over streamable HTTP, with sessions (`Mcp-Session-Id`) so that
 * `notifications/tools/list_changed` reaches every client on its GET stream when an upstream connects
 * or drops. Each session has its own SDK `Server` over the shared tool registry.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools#list-changed-notification
 */
export function createMcpEndpoint(registry: ToolRegistry, info: { name: string; version: string }) {
  const sessions = new Map<string, Session>();

  function createSession(): Session {
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
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    const session: Session = { server, transport };
    return session;
  }

  return {
    /** Handles POST/GET/DELETE on the MCP path; `body` is the parsed JSON of a POST. */
    async handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
      const id = req.headers['mcp-session-id'];
      if (typeof id === 'string') {
        const session = sessions.get(id);
        if (!session) {
          sendJsonRpcError(res, 404, `Session ${id} not found; initialize a new session`);
          return;
        }
        await session.transport.handleRequest(req, res, body);
        return;
      }
      if (req.method !== 'POST' || !isInitializeRequest(body)) {
        sendJsonRpcError(res, 400, 'No Mcp-Session-Id: the first request must be an initialize POST');
        return;
      }
      const session = createSession();
      await session.server.connect(session.transport);
      await session.transport.handleRequest(req, res, body);
    },
    /** Tells every session that the tool list changed. */
    notifyToolsChanged(): void {
      for (const session of sessions.values())
        void session.server.sendToolListChanged().catch(() => undefined);
    },
    get sessionCount(): number {
      return sessions.size;
    },
    async close(): Promise<void> {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.all(open.map((session) => session.server.close().catch(() => undefined)));
    },
  };
}

/** The endpoint {@link createMcpEndpoint} returns. */
export type McpEndpoint = ReturnType<typeof createMcpEndpoint>;
