import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  type CallToolResult,
  type CompatibilityCallToolResult,
  type Tool,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';

/** What opening a connection needs. */
export interface ConnectionOptions {
  readonly url: string;
  /** Headers for every request (the current `Authorization`, asked for anew each time so refreshes apply). */
  readonly headers: () => Promise<Readonly<Record<string, string>>>;
  readonly timeoutMs: number;
  readonly clientName: string;
  /** The upstream said its tool list changed (`notifications/tools/list_changed`). */
  readonly onToolsChanged: () => void;
}

/** An open MCP session with one upstream. */
export interface UpstreamConnection {
  listTools(): Promise<Tool[]>;
  callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    signal?: AbortSignal,
  ): Promise<CallToolResult>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects to an upstream MCP server over streamable HTTP with the SDK's client. Authentication is
 * the aggregator's business (headers), so the transport gets no auth provider: a 401 surfaces as an
 * error the upstream state machine handles.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http
 */
export async function openConnection(options: ConnectionOptions): Promise<UpstreamConnection> {
  const authorizedFetch: FetchLike = async (input, init) => {
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(await options.headers())) headers.set(name, value);
    return fetch(input, { ...init, headers });
  };
  const transport = new StreamableHTTPClientTransport(new URL(options.url), {
    fetch: authorizedFetch,
    reconnectionOptions: {
      initialReconnectionDelay: 500,
      maxReconnectionDelay: 5000,
      reconnectionDelayGrowFactor: 2,
      maxRetries: 2,
    },
  });
  const client = new Client({ name: options.clientName, version: '0.0.0' });
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => options.onToolsChanged());
  const timeout = { timeout: options.timeoutMs };
  try {
    await client.connect(transport, timeout);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  return {
    async listTools() {
      const tools: Tool[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.listTools({ cursor }, timeout);
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return tools;
    },
    async callTool(name, args, signal) {
      const result: CompatibilityCallToolResult = await client.callTool(
        { name, arguments: args },
        undefined,
        { ...(signal ? { signal } : {}), timeout: options.timeoutMs * 4 },
      );
      return result as CallToolResult;
    },
    async ping() {
      await client.ping(timeout);
    },
    async close() {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
}
