import {
  createPresetStrategy,
  DiscoveryError,
  ErrorCodes,
  type PresetDefinition,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core';
import { AUTH0_PLACEHOLDER, auth0Preset } from './facts.js';

export { AUTH0_PLACEHOLDER, auth0Facts, auth0Preset } from './facts.js';

/** Options of {@link auth0}. */
export interface Auth0Options extends PresetStrategyOptions {
  /** Your tenant's origin: `https://acme.us.auth0.com` or a custom domain. */
  readonly domain?: string;
  /** The API identifier to request tokens for (sent as the `audience` authorization parameter). */
  readonly audience?: string;
}

/**
 * The definition in effect for these options: with `audience`, the tenant policy carries the hint
 * `extraAuthorizationParameters: { audience }`.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` for an empty `audience`.
 */
export function auth0Definition(options: Auth0Options = {}): PresetDefinition {
  if (options.audience === undefined) return auth0Preset;
  if (typeof options.audience !== 'string' || options.audience.trim() === '') {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      'Invalid options of preset auth0: audience: expected the API identifier (a non-empty string)',
      { expected: 'a non-empty string', actual: options.audience },
    );
  }
  const [policy, ...rest] = auth0Preset.issuerPolicies ?? [];
  if (policy === undefined) return auth0Preset;
  return {
    ...auth0Preset,
    issuerPolicies: [
      { ...policy, hints: { extraAuthorizationParameters: { audience: options.audience } } },
      ...rest,
    ],
  };
}

/**
 * The Auth0 preset strategy, `preset:auth0`: for issuers on your tenant (`domain`), the hint to send
 * `audience`. It applies whatever the resource, since Auth0 tenants protect many resources.
 *
 * @example
 * ```ts
 * const preset = auth0({ domain: 'https://acme.us.auth0.com', audience: 'https://api.acme.example' });
 * ```
 * @throws {DiscoveryError} `INVALID_CONFIG` for a bad `domain`, `audience` or `hosts`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export function auth0(options: Auth0Options = {}): PresetStrategy {
  // `domain` fills the placeholder host; an explicit `hosts` entry for it wins.
  const hosts = { ...options.hosts };
  if (options.domain !== undefined) hosts[AUTH0_PLACEHOLDER] ??= options.domain;
  return createPresetStrategy(auth0Definition(options), { hosts });
}
