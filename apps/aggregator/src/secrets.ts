import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { type AggregatorConfig, readSecret } from './config.js';
import type { UpstreamSecrets } from './upstream.js';

/** Secrets read from the environment at start: each upstream's, and the introspection client's. */
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
  const read = (variable: string, key: string): string | undefined => {
    try {
      return readSecret(env, variable, key);
    } catch (error) {
      missing.push(error as DiscoveryError);
      return undefined;
    }
  };
  config.upstreams.forEach((upstream, index) => {
    const { auth } = upstream;
    const key = `upstreams[${index}].auth`;
    const secret =
      auth.type === 'bearer'
        ? { bearerToken: read(auth.tokenEnv, `${key}.tokenEnv`) }
        : auth.type === 'oauth' && auth.clientSecretEnv !== undefined
          ? { clientSecret: read(auth.clientSecretEnv, `${key}.clientSecretEnv`) }
          : {};
    secrets.set(upstream.name, secret as UpstreamSecrets);
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
