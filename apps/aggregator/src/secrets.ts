import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { type AggregatorConfig, readSecret } from './config.js';
import type { UpstreamSecrets } from './upstream.js';
import { grantOptionsFor, readSecretFile } from './upstream-grant.js';

/** Secrets read from the environment (and files) at start: each upstream's, and the introspection client's. */
export interface AggregatorSecrets {
  readonly upstreams: ReadonlyMap<string, UpstreamSecrets>;
  readonly introspection?: string | undefined;
  /** The secret of `auth.browser.clientId`, when it has one. */
  readonly browser?: string | undefined;
}

/**
 * Reads every secret the configuration names.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` naming every unset variable and its key, all at once.
 */
export function secretsFor(
  config: AggregatorConfig,
  env: Readonly<Record<string, string | undefined>>,
): AggregatorSecrets {
  const secrets = new Map<string, UpstreamSecrets>();
  const missing: DiscoveryError[] = [];
  // Every unset variable is reported at once, not one per start.
  const attempt = (get: () => string): string | undefined => {
    try {
      return get();
    } catch (error) {
      missing.push(error as DiscoveryError);
      return undefined;
    }
  };
  const read = (variable: string, key: string): string | undefined =>
    attempt(() => readSecret(env, variable, key));
  const reader = { env: read, file: (path: string, key: string) => attempt(() => readSecretFile(path, key)) };
  config.upstreams.forEach((upstream, index) => {
    const { auth } = upstream;
    const key = `upstreams[${index}].auth`;
    const secret =
      auth.type === 'bearer'
        ? { bearerToken: read(auth.tokenEnv, `${key}.tokenEnv`) }
        : auth.type === 'oauth' && auth.clientSecretEnv !== undefined
          ? { clientSecret: read(auth.clientSecretEnv, `${key}.clientSecretEnv`) }
          : {};
    const grant =
      auth.type === 'oauth' && auth.grant !== undefined
        ? grantOptionsFor(auth.grant, auth.issuer, `${key}.grant`, env, reader)
        : undefined;
    secrets.set(upstream.name, { ...secret, grant } as UpstreamSecrets);
  });
  const introspection =
    config.auth.type === 'oauth' && config.auth.introspection
      ? read(config.auth.introspection.clientSecretEnv, 'auth.introspection.clientSecretEnv')
      : undefined;
  const browser =
    config.auth.type === 'oauth' && config.auth.browser?.clientSecretEnv !== undefined
      ? read(config.auth.browser.clientSecretEnv, 'auth.browser.clientSecretEnv')
      : undefined;
  if (missing.length === 1) throw missing[0];
  if (missing.length > 1)
    throw new DiscoveryError(ErrorCodes.INVALID_CONFIG, missing.map((error) => error.message).join('; '), {
      expected: 'every secret named in the configuration set in the environment',
      actual: missing.map((error) => error.message),
    });
  return { upstreams: secrets, introspection, browser };
}
