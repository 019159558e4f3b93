import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AuthInfo, createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { definedProperties } from '@oauth-discovery/core';
import { z } from 'zod';
import { toolAnswers } from './tools.js';

/**
 * The testkit tools (`echo`, `add`, `whoami`) on the SDK v2 server: the same answers as
 * `createToolServer`, for a server that speaks MCP 2026-07-28.
 */
function createToolServer2026(name: string): McpServer {
  const server = new McpServer({ name, version: '0.0.0' });
  server.registerTool(
    'echo',
    { description: 'Returns the text it is given.', inputSchema: z.object({ text: z.string() }) },
    toolAnswers.echo,
  );
  server.registerTool(
    'add',
    { description: 'Adds two numbers.', inputSchema: z.object({ a: z.number(), b: z.number() }) },
    toolAnswers.add,
  );
  server.registerTool(
    'whoami',
    { description: 'Who the access token belongs to.', inputSchema: z.object({}) },
    (_args, ctx) => toolAnswers.whoami(ctx.http?.authInfo),
  );
  return server;
}

/** Serves one MCP request of the node server with a web-standard handler (body already parsed). */
export type Wire2026Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
  parsedBody: unknown,
  authInfo: AuthInfo | undefined,
) => Promise<void>;

/**
 * An MCP endpoint that speaks only protocol 2026-07-28 (stateless, `server/discover`, the `_meta`
 * envelope on every request): SDK v2's `createMcpHandler` with 2025 traffic rejected.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/transports
 */
export function createWire2026Handler(): { handle: Wire2026Handler; close(): Promise<void> } {
  const handler = createMcpHandler(() => createToolServer2026('testkit-mcp-2026'), { legacy: 'reject' });
  const handle: Wire2026Handler = async (req, res, origin, parsedBody, authInfo) => {
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(key, value);
      else if (Array.isArray(value)) headers.set(key, value.join(', '));
    }
    const request = new Request(new URL(req.url ?? '/', origin), {
      method: req.method ?? 'GET',
      headers,
      body: parsedBody === undefined ? null : JSON.stringify(parsedBody),
    });
    const response = await handler.fetch(request, definedProperties({ parsedBody, authInfo }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body === null) {
      res.end();
      return;
    }
    const reader = response.body.getReader();
    res.on('close', () => {
      void reader.cancel().catch(() => undefined);
    });
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
    res.end();
  };
  return { handle, close: () => handler.close() };
}
