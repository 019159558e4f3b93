import { readFile } from 'node:fs/promises';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import type { GrantClient, GrantOptions, TokenSource } from '@oauth-discovery/mcp';
import { markUsageError } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { CliOptions } from '../options.js';

const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

function usage(message: string, expected: string): DiscoveryError {
  return markUsageError(new DiscoveryError(ErrorCodes.INVALID_CONFIG, message, { expected, actual: null }));
}

/** Reads a file named by a flag; a usage error (exit 2) naming the flag when it cannot. */
async function readFlagFile(flag: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw markUsageError(
      new DiscoveryError(ErrorCodes.INVALID_CONFIG, `${flag} ${file}: cannot read the file (${reason})`, {
        url: file,
        expected: 'a readable file',
        actual: null,
        cause: error,
      }),
    );
  }
}

/** Flags that only mean something with `--grant`. */
const GRANT_FLAGS = [
  ['privateKeyFile', '--private-key-file'],
  ['signingAlgorithm', '--signing-algorithm'],
  ['assertionFile', '--assertion-file'],
  ['idTokenFile', '--id-token-file'],
  ['idpTokenEndpoint', '--idp-token-endpoint'],
  ['idpIssuer', '--idp-issuer'],
  ['idpClientId', '--idp-client-id'],
] as const;

/**
 * The client's credentials for a grant: the private key of `--private-key-file` (else
 * `$OAUTH_DISCOVERY_PRIVATE_KEY`), else the secret of `$OAUTH_DISCOVERY_CLIENT_SECRET` — a key, when
 * given, is the credential (a secret left in the environment is not sent as well). Never
 * `--client-secret`: a secret on the command line is in the process list and the shell history.
 *
 * @param required - whether the grant needs a secret or a key (client credentials); else a public
 *   client (its id alone) is fine.
 */
async function grantClient(
  options: CliOptions,
  io: CliIo,
  grant: string,
  required: boolean,
): Promise<GrantClient> {
  if (options.clientSecret !== undefined) {
    throw usage(
      `--grant ${grant} reads the secret from $OAUTH_DISCOVERY_CLIENT_SECRET, never from the command line`,
      'OAUTH_DISCOVERY_CLIENT_SECRET',
    );
  }
  const privateKey =
    options.privateKeyFile === undefined
      ? nonEmpty(io.env.OAUTH_DISCOVERY_PRIVATE_KEY)
      : await readFlagFile('--private-key-file', options.privateKeyFile);
  const clientSecret = privateKey === undefined ? nonEmpty(io.env.OAUTH_DISCOVERY_CLIENT_SECRET) : undefined;
  if (required && privateKey === undefined && clientSecret === undefined) {
    throw usage(
      `--grant ${grant} needs a secret in $OAUTH_DISCOVERY_CLIENT_SECRET or a key (--private-key-file, $OAUTH_DISCOVERY_PRIVATE_KEY)`,
      'OAUTH_DISCOVERY_CLIENT_SECRET or --private-key-file',
    );
  }
  if ((privateKey !== undefined || clientSecret !== undefined) && nonEmpty(options.clientId) === undefined) {
    throw usage(`--grant ${grant} with a secret or a key needs --client-id`, '--client-id <id>');
  }
  return {
    clientId: nonEmpty(options.clientId),
    clientSecret,
    privateKey,
    signingAlgorithm: options.signingAlgorithm,
  };
}

/**
 * A token read from `file` at each grant (a rotated file is read again), else from the environment
 * variable `env` as it is then.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` (exit 2) when neither is given.
 */
function tokenSource(file: string | undefined, flag: string, env: string, io: CliIo): TokenSource {
  if (file !== undefined) return { file };
  if (nonEmpty(io.env[env]) === undefined) throw usage(`${flag} or $${env} is needed`, `${flag} <file>`);
  return () => io.env[env] ?? '';
}

/**
 * The grant of `--grant`, from flags, files and the environment (never a secret or token from argv);
 * `undefined` without `--grant`.
 *
 * - `client_credentials`: `--client-id` and a secret or a key;
 * - `jwt-bearer`: the workload token of `--assertion-file` or `$OAUTH_DISCOVERY_ASSERTION`,
 *   `--client-id` and a credential if the authorization server wants them;
 * - `token-exchange`: `--client-id` (and its secret or key) at the MCP server's authorization server;
 *   the user's ID token (`--id-token-file` or `$OAUTH_DISCOVERY_ID_TOKEN`), `--idp-token-endpoint`,
 *   `--idp-client-id` and `$OAUTH_DISCOVERY_IDP_CLIENT_SECRET` at the IdP.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` (exit 2) for a missing flag, id or credential, a secret
 *   on the command line, an unreadable file, grant flags without `--grant`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 */
export async function grantFor(options: CliOptions, io: CliIo): Promise<GrantOptions | undefined> {
  const grant = options.grant;
  if (grant === undefined) {
    const stray = GRANT_FLAGS.find(([key]) => options[key] !== undefined);
    if (stray !== undefined) throw usage(`${stray[1]} needs --grant`, '--grant');
    return undefined;
  }
  if (grant === 'jwt-bearer') {
    return {
      type: 'jwt-bearer',
      ...(await grantClient(options, io, grant, false)),
      assertion: tokenSource(options.assertionFile, '--assertion-file', 'OAUTH_DISCOVERY_ASSERTION', io),
    };
  }
  const clientId = nonEmpty(options.clientId);
  if (clientId === undefined) throw usage(`--grant ${grant} needs --client-id`, '--client-id <id>');
  if (grant === 'client_credentials') {
    return { type: grant, ...(await grantClient(options, io, grant, true)), clientId };
  }
  const idpClientId = nonEmpty(options.idpClientId);
  if (options.idpTokenEndpoint === undefined || idpClientId === undefined) {
    throw usage(
      '--grant token-exchange needs the enterprise IdP: --idp-token-endpoint and --idp-client-id',
      '--idp-token-endpoint <url> --idp-client-id <id>',
    );
  }
  return {
    type: grant,
    ...(await grantClient(options, io, grant, false)),
    clientId,
    idToken: tokenSource(options.idTokenFile, '--id-token-file', 'OAUTH_DISCOVERY_ID_TOKEN', io),
    idp: {
      tokenEndpoint: options.idpTokenEndpoint,
      issuer: options.idpIssuer,
      clientId: idpClientId,
      clientSecret: nonEmpty(io.env.OAUTH_DISCOVERY_IDP_CLIENT_SECRET),
    },
  };
}
