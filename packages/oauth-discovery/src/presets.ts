import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import type { PresetDefinition, PresetStrategy, PresetStrategyOptions } from '@oauth-discovery/core/preset';
import { asana, asanaPreset } from '@oauth-discovery/preset-asana';
import { atlassian, atlassianPreset } from '@oauth-discovery/preset-atlassian';
import { auth0, auth0Preset } from '@oauth-discovery/preset-auth0';
import { awsCognito, awsCognitoPreset } from '@oauth-discovery/preset-aws-cognito';
import { box, boxPreset } from '@oauth-discovery/preset-box';
import { cloudflare, cloudflarePreset } from '@oauth-discovery/preset-cloudflare';
import { github, githubPreset } from '@oauth-discovery/preset-github';
import { google, googlePreset } from '@oauth-discovery/preset-google';
import { hubspot, hubspotPreset } from '@oauth-discovery/preset-hubspot';
import { keycloak, keycloakPreset } from '@oauth-discovery/preset-keycloak';
import { linear, linearPreset } from '@oauth-discovery/preset-linear';
import { entraPreset, microsoftEntra } from '@oauth-discovery/preset-microsoft-entra';
import { notion, notionPreset } from '@oauth-discovery/preset-notion';
import { slack, slackPreset } from '@oauth-discovery/preset-slack';
import { stripe, stripePreset } from '@oauth-discovery/preset-stripe';
import { supabase, supabasePreset } from '@oauth-discovery/preset-supabase';

/** A built-in preset: its definition (for listings) and the factory of its strategy. */
export interface BuiltInPreset {
  readonly name: string;
  readonly definition: PresetDefinition;
  readonly create: (options?: PresetStrategyOptions) => PresetStrategy;
  /**
   * What must be configured before the preset applies to anything real (Auth0: your tenant's domain),
   * or `undefined`. Such presets are listed but not run by default: name them in `presets` and map their
   * placeholder host with `presetHosts` (or use their factory in `first`).
   */
  readonly needsConfiguration?: string | undefined;
}

const entry = (
  definition: PresetDefinition,
  create: (options?: PresetStrategyOptions) => PresetStrategy,
  needsConfiguration?: string,
): BuiltInPreset => ({
  name: definition.name,
  definition,
  create,
  needsConfiguration,
});

/** Every preset this package ships, by name, in the order the recommended pipeline runs them. */
export const builtInPresets: readonly BuiltInPreset[] = [
  entry(atlassianPreset, atlassian),
  entry(githubPreset, github),
  entry(entraPreset, microsoftEntra),
  entry(slackPreset, slack),
  entry(hubspotPreset, hubspot),
  entry(notionPreset, notion),
  entry(linearPreset, linear),
  entry(stripePreset, stripe),
  entry(cloudflarePreset, cloudflare),
  entry(supabasePreset, supabase),
  entry(asanaPreset, asana),
  entry(boxPreset, box),
  entry(googlePreset, google),
  entry(awsCognitoPreset, awsCognito),
  entry(
    auth0Preset,
    auth0,
    "your tenant's domain (presetHosts { 'https://tenant.auth0.invalid': <domain> }) and, for the audience hint, auth0({ domain, audience }) in `first`",
  ),
  entry(keycloakPreset, keycloak, "your server (presetHosts { 'https://keycloak.invalid': <server> })"),
];

/** Names of the built-in presets (`atlassian`, `github`, `microsoft-entra`, `slack`, …). */
export const presetNames: readonly string[] = builtInPresets.map((preset) => preset.name);

/** Names of the presets the recommended pipeline runs by default: those that need no configuration. */
export const defaultPresetNames: readonly string[] = builtInPresets
  .filter((preset) => preset.needsConfiguration === undefined)
  .map((preset) => preset.name);

/**
 * The built-in preset called `name`.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` naming the unknown preset and the known ones.
 */
export function getPreset(name: string): BuiltInPreset {
  const preset = builtInPresets.find((candidate) => candidate.name === name);
  if (!preset) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      `Unknown preset "${name}"; known presets: ${presetNames.join(', ')}`,
      { expected: presetNames, actual: name },
    );
  }
  return preset;
}

/**
 * Creates the strategy of a built-in preset. `hosts` may name origins of other presets too: only the
 * keys this preset names are passed on, so one replica map can serve every preset.
 */
export function createPreset(name: string, hosts?: Readonly<Record<string, string>>): PresetStrategy {
  const preset = getPreset(name);
  if (!hosts) return preset.create();
  const own = Object.entries(hosts).filter(([origin]) => preset.definition.hosts.includes(origin));
  return preset.create(own.length ? { hosts: Object.fromEntries(own) } : {});
}
