import type { ConnectOptions } from '@oauth-discovery/mcp';
import { createFileStore } from '@oauth-discovery/mcp';
import { openBrowser } from '../browser.js';
import { pipelineOptionsFor } from '../discovery-options.js';
import type { CliIo } from '../io.js';
import { type CliOptions, DEFAULT_TIMEOUT_MS } from '../options.js';
import type { Progress } from '../render/progress.js';
import { cliVersion } from '../version.js';
import { grantFor } from './grant-options.js';
import { authorizesUnattended, personPresent } from './interaction.js';

/** The token store of the CLI: `$OAUTH_DISCOVERY_HOME`, else the user's config directory. */
export function tokenStore(io: CliIo): ReturnType<typeof createFileStore> {
  const dir = io.env.OAUTH_DISCOVERY_HOME;
  return createFileStore(dir === undefined || dir === '' ? {} : { dir });
}

/**
 * The client secret: `--client-secret`, else `$OAUTH_DISCOVERY_CLIENT_SECRET` — the environment keeps
 * it out of the process list and the shell history.
 */
export function clientSecretFor(options: CliOptions, io: CliIo): string | undefined {
  const fromEnv = io.env.OAUTH_DISCOVERY_CLIENT_SECRET;
  return options.clientSecret ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
}

/**
 * Options of `login()` / `connectWithOAuth()` from the command line: discovery as for `discover`,
 * the client flags, the token store, progress on stderr, and a browser only when a person is there
 * (without one, and without `--headless` or `--grant`, a needed sign-in is `LOGIN_REQUIRED`).
 */
export async function connectOptionsFor(
  url: string,
  options: CliOptions,
  io: CliIo,
  progress: Progress,
): Promise<ConnectOptions> {
  const person = personPresent(options, io);
  const grant = await grantFor(options, io);
  return {
    grant,
    serverUrl: url,
    discovery: await pipelineOptionsFor(url, options, progress.discovery),
    store: tokenStore(io),
    clientId: options.clientId,
    clientSecret: grant === undefined ? clientSecretFor(options, io) : undefined,
    clientMetadataUrl: options.clientMetadataUrl,
    scope: options.scope,
    dpop: options.dpop,
    headless: options.headless,
    // Headless, nobody is waiting on a browser: --timeout bounds the whole front channel (a page that
    // trickles a byte at a time included). A person in a browser keeps the callback's own limit.
    callbackTimeoutMs: options.headless === true ? (options.timeout ?? DEFAULT_TIMEOUT_MS) : undefined,
    callbackPort: options.callbackPort,
    allowPrivateNetwork: options.allowPrivateNetwork,
    onEvent: progress.auth,
    // Nobody there and no unattended way: LOGIN_REQUIRED at once rather than a browser wait.
    interactive: person || authorizesUnattended(options),
    openBrowser: person && options.headless !== true ? openBrowser : undefined,
    clientInfo: { name: 'oauth-discovery-cli', version: cliVersion() },
  };
}
