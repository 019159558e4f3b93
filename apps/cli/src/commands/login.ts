import { login, logout } from '@oauth-discovery/mcp';
import { type ExitCode, ExitCodes } from '../exit-codes.js';
import { type CliIo, useColor, writeLine } from '../io.js';
import type { CliOptions } from '../options.js';
import { painter } from '../render/color.js';
import { progressFor } from '../render/progress.js';
import { reportError } from '../report-error.js';
import { assertSomeoneCanSignIn } from './interaction.js';
import { connectOptionsFor, tokenStore } from './session-options.js';

/** An epoch-ms time as ISO 8601, or `null` when absent or not a valid date (never a `RangeError`). */
function isoDate(ms: number | undefined): string | null {
  if (ms === undefined) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * `oauth-discovery login <url>`: discovery, then a new authorization (browser with a loopback
 * callback, or `--headless`), tokens saved to the store. Never prints a token. Without a person to
 * answer the browser (see `personPresent`) and without `--headless` or `--grant`, it fails at once
 * with `LOGIN_REQUIRED` (exit 4).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-flow-steps
 */
export async function loginCommand(url: string, options: CliOptions, io: CliIo): Promise<ExitCode> {
  const json = options.json === true;
  const progress = progressFor(io, json);
  try {
    const connect = await connectOptionsFor(url, options, io, progress);
    assertSomeoneCanSignIn(url, options, io);
    const { result, tokens } = await login(connect);
    progress.done();
    const expiresAt = isoDate(tokens.expiresAt);
    const store = tokenStore(io).dir;
    if (json) {
      const out = {
        resource: result.resource,
        issuer: result.authorizationServer.issuer,
        scope: tokens.scope ?? null,
        expiresAt,
        refreshToken: tokens.refreshToken !== undefined,
        store,
      };
      writeLine(io.stdout, JSON.stringify(out, null, 2));
    } else {
      const paint = painter(useColor(io.stdout, io.env));
      writeLine(io.stdout, `${paint('green', 'Logged in')} to ${result.resource}`);
      writeLine(io.stdout, `  issuer   ${result.authorizationServer.issuer}`);
      writeLine(io.stdout, `  scope    ${tokens.scope ?? '(none)'}`);
      writeLine(
        io.stdout,
        `  expires  ${expiresAt ?? '(not said)'}${tokens.refreshToken === undefined ? '' : ', refreshable'}`,
      );
      writeLine(io.stdout, `  stored   ${store}`);
    }
    return ExitCodes.OK;
  } catch (error) {
    progress.done();
    return reportError(io, error, { json, verbose: options.verbose });
  }
}

/** `oauth-discovery logout <url>`: deletes the stored tokens of `url` for every authorization server, without a request. */
export async function logoutCommand(url: string, options: CliOptions, io: CliIo): Promise<ExitCode> {
  try {
    const store = tokenStore(io);
    const { removed } = await logout({ serverUrl: url, store });
    if (options.json === true) {
      writeLine(io.stdout, JSON.stringify({ resource: url, removed, store: store.dir }, null, 2));
    } else {
      writeLine(
        io.stdout,
        removed === 0
          ? `No stored tokens for ${url} (store ${store.dir})`
          : `Logged out of ${url}: ${removed} token record${removed === 1 ? '' : 's'} deleted from ${store.dir}`,
      );
    }
    return ExitCodes.OK;
  } catch (error) {
    return reportError(io, error, { json: options.json === true });
  }
}
