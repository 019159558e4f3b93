import {
  DiscoveryError,
  ErrorCodes,
  type PresetDefinition,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core';
import { atlassian, atlassianPreset } from '@oauth-discovery/preset-atlassian';
import { github, githubPreset } from '@oauth-discovery/preset-github';
import { entraPreset, microsoftEntra } from '@oauth-discovery/preset-microsoft-entra';

/** A built-in preset: its definition (for listings) and the factory of its strategy. */
export interface BuiltInPreset {
  readonly name: string;
  readonly definition: PresetDefinition;
  readonly create: (options?: PresetStrategyOptions) => PresetStrategy;
}

/** Every preset this package ships, by name, in the order the recommended pipeline runs them. */
export const builtInPresets: readonly BuiltInPreset[] = [
  { name: atlassianPreset.name, definition: atlassianPreset, create: atlassian },
  { name: githubPreset.name, definition: githubPreset, create: github },
  { name: entraPreset.name, definition: entraPreset, create: microsoftEntra },
];

/** Names of the built-in presets (`atlassian`, `github`, `microsoft-entra`). */
export const presetNames: readonly string[] = builtInPresets.map((preset) => preset.name);

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
