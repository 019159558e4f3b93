import { readFile } from 'node:fs/promises';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import type { ClientCredentialsGrantOptions, ConnectOptions } from '@oauth-discovery/mcp';
import { createFileStore } from '@oauth-discovery/mcp';
import { openBrowser } from '../browser.js';
import { pipelineOptionsFor } from '../discovery-options.js';
import { markUsageError } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { type CliOptions, DEFAULT_TIMEOUT_MS } from '../options.js';
import type { Progress } from '../render/progress.js';
import { cliVersion } from '../version.js';

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

const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

function usage(message: string, expected: string): DiscoveryError {
  return markUsageError(new DiscoveryError(ErrorCodes.INVALID_CONFIG, message, { expected, actual: null }));
}

/**
 * The machine grant of `--grant client_credentials`: `--client-id`, and the private key of
 * `--private-key-file` (else `$OAUTH_DISCOVERY_PRIVATE_KEY`) or the secret of
 * `$OAUTH_DISCOVERY_CLIENT_SECRET` — never `--client-secret`: a secret on the command line is in the
 * process list and the shell history. `undefined` without `--grant`.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` (exit 2) for a missing client id or credentials, a secret
 *   on the command line, an unreadable key file, grant flags without `--grant`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
export async function grantFor(
  options: CliOptions,
  io: CliIo,
): Promise<ClientCredentialsGrantOptions | undefined> {
  if (options.grant === undefined) {
    if (options.privateKeyFile !== undefined || options.signingAlgorithm !== undefined) {
      throw usage('--private-key-file and --signing-algorithm need --grant client_credentials', '--grant');
    }
    return undefined;
  }
  if (options.clientId === undefined || options.clientId === '') {
    throw usage('--grant client_credentials needs --client-id', '--client-id <id>');
  }
  if (options.clientSecret !== undefined) {
    throw usage(
      '--grant client_credentials reads the secret from $OAUTH_DISCOVERY_CLIENT_SECRET, never from the command line',
      'OAUTH_DISCOVERY_CLIENT_SECRET',
    );
  }
  let privateKey = nonEmpty(io.env.OAUTH_DISCOVERY_PRIVATE_KEY);
  if (options.privateKeyFile !== undefined) {
    try {
      privateKey = await readFile(options.privateKeyFile, 'utf8');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw markUsageError(
        new DiscoveryError(
          ErrorCodes.INVALID_CONFIG,
          `--private-key-file ${options.privateKeyFile}: cannot read the file (${reason})`,
          { expected: 'a readable PEM file', actual: null, cause: error },
        ),
      );
    }
  }
  const clientSecret = nonEmpty(io.env.OAUTH_DISCOVERY_CLIENT_SECRET);
  if (privateKey === undefined && clientSecret === undefined) {
    throw usage(
      '--grant client_credentials needs a secret in $OAUTH_DISCOVERY_CLIENT_SECRET or a key (--private-key-file, $OAUTH_DISCOVERY_PRIVATE_KEY)',
      'OAUTH_DISCOVERY_CLIENT_SECRET or --private-key-file',
    );
  }
  return {
    type: 'client_credentials',
    clientId: options.clientId,
    // A key, when given, is the credential: a secret left in the environment is not sent as well.
    ...(privateKey === undefined ? { clientSecret } : { privateKey }),
    ...(options.signingAlgorithm === undefined ? {} : { signingAlgorithm: options.signingAlgorithm }),
  };
}

/**
 * Options of `login()` / `connectWithOAuth()` from the command line: discovery as for `discover`,
 * the client flags, the token store, progress on stderr, and a browser only when a person is there.
 */
export async function connectOptionsFor(
  url: string,
  options: CliOptions,
  io: CliIo,
  progress: Progress,
): Promise<ConnectOptions> {
  const interactiveTerminal = io.stderr.isTTY === true && options.headless !== true;
  const grant = await grantFor(options, io);
  return {
    ...(grant === undefined ? {} : { grant }),
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
    openBrowser: interactiveTerminal ? openBrowser : undefined,
    clientInfo: { name: 'oauth-discovery-cli', version: cliVersion() },
  };
}
