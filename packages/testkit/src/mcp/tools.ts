import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/**
 * A fresh MCP server with the testkit tools: `echo` {text} → text, `add` {a, b} → sum, `whoami` → the
 * token's subject and scopes (from the transport's `authInfo`).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools
 */
export function createToolServer(name: string): McpServer {
  const server = new McpServer({ name, version: '0.0.0' });
  server.registerTool(
    'echo',
    { description: 'Returns the text it is given.', inputSchema: { text: z.string() } },
    ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'add',
    { description: 'Adds two numbers.', inputSchema: { a: z.number(), b: z.number() } },
    ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }),
  );
  server.registerTool('whoami', { description: 'Who the access token belongs to.' }, (extra) => {
    const auth = extra.authInfo;
    const who = {
      subject: auth?.extra?.subject ?? null,
      scopes: auth?.scopes ?? [],
      clientId: auth?.clientId ?? null,
    };
    return { content: [{ type: 'text', text: JSON.stringify(who) }], structuredContent: who };
  });
  return server;
}
