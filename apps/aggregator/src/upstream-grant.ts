import { readFileSync } from 'node:fs';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import type { GrantOptions } from '@oauth-discovery/mcp';
import type { UpstreamGrant } from './config.js';

/** Reads a secret from the environment or a file; `undefined` (and a problem reported) when it cannot. */
export interface SecretReader {
  env(variable: string, key: string): string | undefined;
  file(path: string, key: string): string | undefined;
}

/** Reads a secret file at start; the problem names the key and the file. */
export function readSecretFile(path: string, key: string): string {
  try {
    const value = readFileSync(path, 'utf8').trim();
    if (value !== '') return value;
  } catch (cause) {
    throw new DiscoveryError(ErrorCodes.INVALID_CONFIG, `${key}: cannot read ${path} (${String(cause)})`, {
      url: path,
      expected: 'a readable file',
      actual: null,
      cause,
    });
  }
  throw new DiscoveryError(ErrorCodes.INVALID_CONFIG, `${key}: ${path} is empty`, {
    url: path,
    expected: 'a secret',
    actual: '',
  });
}

/**
 * The mcp package's grant options of an upstream's `auth.grant`: the client secret and private key
 * read now (from their variable or file), the workload token left to be read at each grant (it
 * rotates). `issuer` is the upstream's pin: the credentials go to that issuer only.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 */
export function grantOptionsFor(
  grant: UpstreamGrant,
  issuer: string | undefined,
  key: string,
  env: Readonly<Record<string, string | undefined>>,
  read: SecretReader,
): GrantOptions {
  const secret = (variable: string | undefined, file: string | undefined, name: string) =>
    variable !== undefined
      ? read.env(variable, `${key}.${name}Env`)
      : file === undefined
        ? undefined
        : read.file(file, `${key}.${name}File`);
  const client = {
    clientSecret: secret(grant.clientSecretEnv, grant.clientSecretFile, 'clientSecret'),
    privateKey: secret(grant.privateKeyEnv, grant.privateKeyFile, 'privateKey'),
    signingAlgorithm: grant.signingAlgorithm,
    issuer,
  };
  if (grant.type === 'client_credentials') return { type: grant.type, clientId: grant.clientId, ...client };
  const variable = grant.assertionEnv;
  return {
    type: grant.type,
    clientId: grant.clientId,
    ...client,
    assertion:
      grant.assertionFile !== undefined ? { file: grant.assertionFile } : () => env[variable ?? ''] ?? '',
  };
}
