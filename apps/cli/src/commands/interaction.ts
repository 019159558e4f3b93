import { DiscoveryError } from '@oauth-discovery/core';
import { FlowErrorCodes } from '@oauth-discovery/mcp';
import type { CliIo } from '../io.js';
import type { CliOptions } from '../options.js';

/**
 * Whether a person can answer a browser sign-in: `--interactive` / `--no-interactive` when given,
 * else whether stdin and stderr (where the authorization URL is shown) are terminals — in CI, under
 * another program or in a pipeline nobody is there, and waiting minutes for a browser helps no one.
 */
export function personPresent(options: CliOptions, io: CliIo): boolean {
  return options.interactive ?? (io.stdin?.isTTY === true && io.stderr.isTTY === true);
}

/** Whether the command can authorize without a person: `--headless` or `--grant`. */
export function authorizesUnattended(options: CliOptions): boolean {
  return options.headless === true || options.grant !== undefined;
}

/** Why nobody can answer, for the messages below. */
function why(options: CliOptions): string {
  return options.interactive === false ? '--no-interactive' : 'stdin or stderr is not a terminal';
}

/** What to do when a sign-in needs a person who is not there (one place, for `login` and `tools`). */
export function unattendedHint(url: string, options: CliOptions): string {
  return (
    `nobody can answer a browser sign-in here (${why(options)}). Run \`oauth-discovery login ${url}\` ` +
    `in a terminal; or pass --headless (servers that approve without a person), or ` +
    `--grant client_credentials with --client-id (a machine client)` +
    (options.interactive === false ? '' : '; --interactive waits for the browser anyway')
  );
}

/**
 * `login` without anyone to answer and without `--headless` or `--grant`: fails before any request
 * with `LOGIN_REQUIRED` (exit 4), instead of waiting minutes for a browser nobody opens.
 *
 * @throws {DiscoveryError} `LOGIN_REQUIRED`.
 */
export function assertSomeoneCanSignIn(url: string, options: CliOptions, io: CliIo): void {
  if (authorizesUnattended(options) || personPresent(options, io)) return;
  throw new DiscoveryError(
    FlowErrorCodes.LOGIN_REQUIRED,
    `Cannot log in to ${url}: ${unattendedHint(url, options)}.`,
    {
      url,
      expected: 'a terminal, --interactive, --headless or --grant client_credentials',
      actual: why(options),
    },
  );
}
