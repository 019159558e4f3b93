#!/usr/bin/env node
/**
 * The smallest honest MCP client built on oauth-discovery:
 *
 *   node apps/client/dist/index.js [--headless] [--client-id ID] [--client-secret S]
 *     [--client-metadata-url URL] [--call TOOL [--args JSON]] <server-url>
 *
 * It connects to the MCP server with SDK v2 (protocol 2026-07-28, or 2025-11-25 with a server that
 * only speaks that); when the server asks for authorization it discovers the authorization server
 * with the recommended pipeline, uses stored tokens or registers and authorizes as needed. It lists
 * the tools, calls one if asked, and exits 0 — or prints `error CODE: message` and exits 1.
 */
import { parseArgs } from 'node:util';
import { createFileStore } from '@oauth-discovery/mcp';
import { connectWithOAuth, discoveryErrorIn } from '@oauth-discovery/mcp/sdk-v2';

const USAGE =
  'usage: node apps/client/dist/index.js [--headless] [--client-id ID] [--client-secret S] [--client-metadata-url URL] [--call TOOL [--args JSON]] <server-url>';

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // Not JSON: the caller prints the usage.
  }
  return undefined;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      headless: { type: 'boolean' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'client-metadata-url': { type: 'string' },
      call: { type: 'string' },
      args: { type: 'string' },
    },
  });
  const serverUrl = positionals.at(-1);
  const args = jsonObject(values.args ?? '{}');
  if (serverUrl === undefined || !URL.canParse(serverUrl) || args === undefined) {
    console.error(args === undefined ? `--args must be a JSON object\n${USAGE}` : USAGE);
    return 2;
  }

  // Tokens persist between runs; OAUTH_DISCOVERY_HOME moves the store (tests use a temporary directory).
  const home = process.env.OAUTH_DISCOVERY_HOME;
  const connection = await connectWithOAuth({
    serverUrl,
    headless: values.headless,
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    clientMetadataUrl: values['client-metadata-url'],
    store: createFileStore(home ? { dir: home } : {}),
    onEvent: (event) => {
      if (event.type === 'authorization-started' && !event.headless) {
        console.error(`Open this URL in a browser to authorize:\n  ${event.url}`);
      }
    },
  });
  try {
    const issuer = connection.result?.authorizationServer.issuer;
    const protocol = connection.client.getNegotiatedProtocolVersion() ?? 'unknown';
    console.log(
      `connected to ${serverUrl} (protocol ${protocol}, ${issuer === undefined ? 'no authorization asked' : `authorization server ${issuer}`})`,
    );
    const { tools } = await connection.client.listTools();
    for (const tool of tools) console.log(`- ${tool.name}: ${tool.description ?? ''}`);
    if (values.call !== undefined) {
      const result = await connection.client.callTool({ name: values.call, arguments: args });
      for (const item of result.content as { type: string; text?: string }[]) {
        console.log(item.type === 'text' ? item.text : JSON.stringify(item));
      }
      if (result.isError === true) {
        console.error(`error TOOL_ERROR: ${values.call} answered with an error`);
        return 1;
      }
    }
    return 0;
  } finally {
    await connection.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (thrown) {
  // Our stable error codes, also when the SDK wrapped the error.
  const error = discoveryErrorIn(thrown);
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const usage = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
  console.error(`error ${typeof code === 'string' ? code : 'ERROR'}: ${message}${usage ? `\n${USAGE}` : ''}`);
  process.exitCode = usage ? 2 : 1;
}
