import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/** What `whoami` reads of the token (the `authInfo` both SDK lines hand a tool). */
interface ToolAuth {
  readonly extra?: Record<string, unknown> | undefined;
  readonly scopes?: readonly string[] | undefined;
  readonly clientId?: string | undefined;
}

/** The answers of the testkit tools, the same on both SDK lines' servers. */
export const toolAnswers = {
  echo: ({ text }: { text: string }) => ({ content: [{ type: 'text' as const, text }] }),
  add: ({ a, b }: { a: number; b: number }) => ({
    content: [{ type: 'text' as const, text: String(a + b) }],
    structuredContent: { sum: a + b },
  }),
  whoami: (auth: ToolAuth | undefined) => {
    const who = {
      subject: auth?.extra?.subject ?? null,
      scopes: auth?.scopes ?? [],
      clientId: auth?.clientId ?? null,
    };
    return { content: [{ type: 'text' as const, text: JSON.stringify(who) }], structuredContent: who };
  },
};

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
    toolAnswers.echo,
  );
  server.registerTool(
    'add',
    { description: 'Adds two numbers.', inputSchema: { a: z.number(), b: z.number() } },
    toolAnswers.add,
  );
  server.registerTool('whoami', { description: 'Who the access token belongs to.' }, (extra) =>
    toolAnswers.whoami(extra.authInfo),
  );
  return server;
}
