import { createPresetStrategy, type PresetStrategy, type PresetStrategyOptions } from '@oauth-discovery/core';
import { KEYCLOAK_PLACEHOLDER, keycloakPreset } from './facts.js';

export { KEYCLOAK_PLACEHOLDER, keycloakFacts, keycloakPreset } from './facts.js';

/** Options of {@link keycloak}. */
export interface KeycloakOptions extends PresetStrategyOptions {
  /** Your Keycloak server's origin, e.g. `https://sso.example.com`. */
  readonly server?: string;
}

/**
 * The Keycloak preset strategy, `preset:keycloak`: its policy applies to every realm issuer of your
 * `server`, whatever the resource.
 *
 * @example
 * ```ts
 * const preset = keycloak({ server: 'https://sso.example.com' });
 * ```
 * @throws {DiscoveryError} `INVALID_CONFIG` for a bad `server` or `hosts`.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export function keycloak(options: KeycloakOptions = {}): PresetStrategy {
  // `server` fills the placeholder host; an explicit `hosts` entry for it wins.
  const hosts = { ...options.hosts };
  if (options.server !== undefined) hosts[KEYCLOAK_PLACEHOLDER] ??= options.server;
  return createPresetStrategy(keycloakPreset, { hosts });
}
