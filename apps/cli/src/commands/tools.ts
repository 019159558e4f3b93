import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { connectWithOAuth } from '@oauth-discovery/mcp/sdk-v1';
import { type ExitCode, ExitCodes, errorCodeOf, markUsageError } from '../exit-codes.js';
import { type CliIo, useColor, writeLine } from '../io.js';
import type { CliOptions } from '../options.js';
import { painter } from '../render/color.js';
import { progressFor } from '../render/progress.js';
import { reportError } from '../report-error.js';
import { authorizesUnattended, personPresent, unattendedHint } from './interaction.js';
import { connectOptionsFor } from './session-options.js';

interface ContentItem {
  readonly type: string;
  readonly text?: string;
}

/** Tool result content as text: text items as they are, anything else as JSON. */
function contentText(content: readonly ContentItem[]): string {
  return content
    .map((item) => (item.type === 'text' && item.text !== undefined ? item.text : JSON.stringify(item)))
    .join('\n');
}

/**
 * `oauth-discovery tools <url> [--call <tool> [--args <json>]]`: connects over streamable HTTP
 * (discovery, stored or refreshed tokens, or a new authorization), lists the tools, and calls one
 * when asked. A tool result flagged `isError` exits 1.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools
 */
export async function toolsCommand(url: string, options: CliOptions, io: CliIo): Promise<ExitCode> {
  const json = options.json === true;
  const progress = progressFor(io, json);
  try {
    if (options.args !== undefined && options.call === undefined) {
      throw markUsageError(
        new DiscoveryError(ErrorCodes.INVALID_CONFIG, '--args needs --call <tool>: name the tool to call', {
          expected: '--call <tool>',
          actual: undefined,
        }),
      );
    }
    const connection = await connectWithOAuth(await connectOptionsFor(url, options, io, progress));
    try {
      const { tools } = await connection.client.listTools();
      const listed = tools.map((tool) => ({ name: tool.name, description: tool.description ?? null }));
      let call:
        | {
            tool: string;
            arguments: Record<string, unknown>;
            isError: boolean;
            content: readonly ContentItem[];
            structuredContent: unknown;
          }
        | undefined;
      if (options.call !== undefined) {
        const args = options.args ?? {};
        const answer = await connection.client.callTool({ name: options.call, arguments: args });
        call = {
          tool: options.call,
          arguments: args,
          isError: answer.isError === true,
          content: (answer.content ?? []) as readonly ContentItem[],
          structuredContent: answer.structuredContent ?? null,
        };
      }
      progress.done();
      // No result when the server never asked for authorization.
      const issuer = connection.result?.authorizationServer.issuer ?? null;
      const resource = connection.result?.resource ?? url;
      if (json) {
        writeLine(io.stdout, JSON.stringify({ resource, issuer, tools: listed, call }, null, 2));
      } else {
        const paint = painter(useColor(io.stdout, io.env));
        writeLine(
          io.stdout,
          `${paint('bold', `${listed.length} tools`)} at ${resource} (${issuer === null ? 'no authorization asked' : `authorized by ${issuer}`})`,
        );
        const width = Math.max(0, ...listed.map((tool) => tool.name.length));
        for (const tool of listed)
          writeLine(io.stdout, `  ${paint('cyan', tool.name.padEnd(width))}  ${tool.description ?? ''}`);
        if (call !== undefined) {
          writeLine(io.stdout);
          writeLine(io.stdout, `${paint('bold', `${call.tool}`)} ${JSON.stringify(call.arguments)} →`);
          writeLine(
            io.stdout,
            call.isError ? paint('red', contentText(call.content)) : contentText(call.content),
          );
        }
      }
      if (call?.isError === true) {
        // Human output already shows the tool's answer on stdout; --json keeps stdout for the object.
        const answer = json ? `: ${contentText(call.content)}` : ' (its answer is above)';
        writeLine(io.stderr, `error TOOL_ERROR: tool ${call.tool} answered with an error${answer}`);
        return ExitCodes.FAILED;
      }
      return ExitCodes.OK;
    } finally {
      await connection.close();
    }
  } catch (error) {
    progress.done();
    // A sign-in was needed and nobody could answer it: say what to do.
    const unattended =
      errorCodeOf(error) === 'LOGIN_REQUIRED' &&
      !personPresent(options, io) &&
      !authorizesUnattended(options);
    const hint = unattended ? unattendedHint(url, options) : undefined;
    return reportError(io, error, { json, verbose: options.verbose, hint });
  }
}
