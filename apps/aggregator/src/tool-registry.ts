import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Upstream } from './upstream.js';

/** Separator between the upstream name and the tool name: `<upstream>__<tool>`. */
export const TOOL_SEPARATOR = '__';

/** Names of the aggregator's own tools. */
export const META_TOOLS = {
  status: 'upstream_status',
  login: 'auth_login',
  logout: 'auth_logout',
} as const;

const upstreamArgument: Tool['inputSchema'] = {
  type: 'object',
  properties: { upstream: { type: 'string', description: 'Name of the upstream, as in upstream_status' } },
  required: ['upstream'],
};

function metaTools(): Tool[] {
  return [
    {
      name: META_TOOLS.status,
      description:
        'State of every upstream MCP server (discovering, auth_required, connecting, connected, failed), with the error code, the discovery trace for failed ones, and what to do.',
      inputSchema: {
        type: 'object',
        properties: { upstream: { type: 'string', description: 'Only this upstream (optional)' } },
      },
    },
    {
      name: META_TOOLS.login,
      description:
        'Starts the OAuth login of an upstream and returns the authorization URL to open in a browser. The aggregator receives the callback, finishes the login and connects the upstream.',
      inputSchema: upstreamArgument,
    },
    {
      name: META_TOOLS.logout,
      description:
        "Forgets an upstream's tokens and disconnects it (its tools disappear until the next login).",
      inputSchema: upstreamArgument,
    },
  ];
}

function json(value: unknown): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(value, null, 2) }],
    structuredContent: value as Record<string, unknown>,
  };
}

/**
 * The tools the aggregator serves: its meta-tools, and every connected upstream's tools under
 * `<upstream>__<tool>`. Calls are routed by the prefix.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools
 */
export function createToolRegistry(upstreams: ReadonlyMap<string, Upstream>) {
  function upstreamNamed(args: Record<string, unknown> | undefined): Upstream {
    const name = args?.upstream;
    if (typeof name !== 'string') {
      throw new McpError(ErrorCode.InvalidParams, 'Argument "upstream" (string) is required');
    }
    const upstream = upstreams.get(name);
    if (!upstream) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `No upstream named "${name}"; known: ${[...upstreams.keys()].join(', ')}`,
      );
    }
    return upstream;
  }

  async function callMeta(name: string, args: Record<string, unknown> | undefined): Promise<CallToolResult> {
    switch (name) {
      case META_TOOLS.status: {
        const only = typeof args?.upstream === 'string' ? [upstreamNamed(args)] : [...upstreams.values()];
        // A login finished on another instance shows up here, without waiting for an event.
        await Promise.all(only.map((upstream) => upstream.recheck()));
        return json({ upstreams: only.map((u) => u.status()) });
      }
      case META_TOOLS.login: {
        const upstream = upstreamNamed(args);
        const started = await upstream.login();
        const result = json({
          upstream: upstream.name,
          authorizationUrl: started.url,
          expiresAt: new Date(started.expiresAt).toISOString(),
        });
        return {
          ...result,
          content: [
            {
              type: 'text',
              text: `Open this URL to log in to ${upstream.name} (valid until ${new Date(started.expiresAt).toISOString()}):\n${started.url}`,
            },
          ],
        };
      }
      case META_TOOLS.logout: {
        const upstream = upstreamNamed(args);
        await upstream.logout();
        return json({ upstream: upstream.name, state: upstream.status().state });
      }
      default:
        throw new McpError(ErrorCode.MethodNotFound, `Unknown tool ${name}`);
    }
  }

  return {
    /** Meta-tools first, then each connected upstream's tools, namespaced. */
    list(): Tool[] {
      const tools = metaTools();
      for (const upstream of upstreams.values()) {
        for (const tool of upstream.tools()) {
          tools.push({
            ...tool,
            name: `${upstream.name}${TOOL_SEPARATOR}${tool.name}`,
            description: `[${upstream.name}] ${tool.description ?? tool.title ?? tool.name}`,
          });
        }
      }
      return tools;
    },
    /**
     * Runs a meta-tool or forwards the call to its upstream.
     *
     * @throws {McpError} for an unknown tool, or an upstream that is not connected (naming its state and what to do).
     */
    async call(
      name: string,
      args: Record<string, unknown> | undefined,
      signal?: AbortSignal,
    ): Promise<CallToolResult> {
      if (Object.values(META_TOOLS).includes(name as (typeof META_TOOLS)[keyof typeof META_TOOLS]))
        return callMeta(name, args);
      const at = name.indexOf(TOOL_SEPARATOR);
      const upstream = at > 0 ? upstreams.get(name.slice(0, at)) : undefined;
      if (!upstream) {
        throw new McpError(
          ErrorCode.InvalidParams,
          `Unknown tool ${name}: tools are named <upstream>${TOOL_SEPARATOR}<tool>; see tools/list and upstream_status`,
        );
      }
      await upstream.recheck();
      return upstream.callTool(name.slice(at + TOOL_SEPARATOR.length), args, signal);
    },
  };
}

/** The registry {@link createToolRegistry} returns. */
export type ToolRegistry = ReturnType<typeof createToolRegistry>;
