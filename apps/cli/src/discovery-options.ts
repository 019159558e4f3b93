import { join } from 'node:path';
import type { DiscoveryEventListener } from '@oauth-discovery/core';
import { createFileCache } from '@oauth-discovery/core/cache';
import {
  findStaticConfigEntry,
  loadStaticConfig,
  type StaticConfigEntry,
  staticConfig,
} from '@oauth-discovery/static-config';
import { defaultPresetNames, getPreset, type RecommendedPipelineOptions } from 'oauth-discovery';
import { type CliOptions, DEFAULT_TIMEOUT_MS, httpTimeouts } from './options.js';
import { parsePresetHosts } from './preset-hosts.js';

/**
 * The recommended pipeline's options for one resource, from the command line:
 *
 * - `--issuer` pins the issuer for this resource (a static-config entry that wins over the file's);
 * - `--config` adds the file's static configuration; an entry's `preset` selects that preset;
 * - `--preset` runs only that built-in preset (an unknown name is `INVALID_CONFIG`, naming it);
 * - `--preset-hosts` moves presets onto other origins (a loopback replica) and runs the presets it names;
 * - `--timeout` is the discovery deadline and caps every request's timeouts;
 * - `--speculate` (start later steps' requests early; the server sees more requests);
 * - `--no-cache`, `--no-legacy-defaults` (no MCP 2025-03-26 default endpoints; `--no-guess` is its old name), `--allow-private-network`;
 * - with `cacheDir`, results and misses are kept in files there across runs (`--no-cache` bypasses it).
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` for a bad config file (naming the key) or an unknown preset.
 */
export async function pipelineOptionsFor(
  resource: string,
  options: CliOptions,
  onEvent?: DiscoveryEventListener,
  cacheDir?: string,
): Promise<RecommendedPipelineOptions> {
  const entries: StaticConfigEntry[] = [];
  if (options.issuer !== undefined) entries.push({ resource, issuer: options.issuer });
  let presetFromConfig: string | undefined;
  if (options.config !== undefined) {
    const config = await loadStaticConfig(options.config);
    entries.push(...config.resources);
    presetFromConfig = findStaticConfigEntry(config, resource)?.entry.preset;
  }
  const first = entries.length > 0 ? [staticConfig({ resources: entries })] : [];
  const preset = options.preset ?? presetFromConfig;
  if (preset !== undefined) getPreset(preset);
  const moved = parsePresetHosts(options.presetHosts);
  const presets =
    moved.presets.length === 0
      ? preset === undefined
        ? undefined
        : [preset]
      : [...new Set([...(preset === undefined ? defaultPresetNames : [preset]), ...moved.presets])];
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  return {
    first,
    presets,
    presetHosts: Object.keys(moved.hosts).length === 0 ? undefined : moved.hosts,
    allowPrivateNetwork: options.allowPrivateNetwork,
    cache:
      options.cache === false
        ? false
        : cacheDir === undefined
          ? undefined
          : createFileCache({ dir: cacheDir, namespace: cacheNamespace(entries, preset, options) }),
    legacyDefaults: options.legacyDefaults !== false && options.guess !== false,
    speculate: options.speculate,
    deadlineMs: timeout,
    httpOptions: httpTimeouts(timeout),
    onEvent,
  };
}

/**
 * What else than the resource decides the answer, so runs with other flags (or another config file's
 * content) never share cache entries: pins, preset, `--no-legacy-defaults`, `--allow-private-network`.
 */
function cacheNamespace(
  entries: readonly StaticConfigEntry[],
  preset: string | undefined,
  options: CliOptions,
): string {
  return JSON.stringify({
    entries,
    preset: preset ?? null,
    guess: options.legacyDefaults !== false && options.guess !== false,
    allowPrivateNetwork: options.allowPrivateNetwork === true,
  });
}

/**
 * Where `discover` keeps its discovery cache: `discovery-cache` in the CLI's state directory
 * (`$OAUTH_DISCOVERY_HOME`, else the user's configuration directory, as for the token store).
 */
export async function discoveryCacheDir(env: Readonly<Record<string, string | undefined>>): Promise<string> {
  const home = env.OAUTH_DISCOVERY_HOME;
  if (home !== undefined && home !== '') return join(home, 'discovery-cache');
  const { defaultConfigDir } = await import('@oauth-discovery/mcp');
  return join(defaultConfigDir({ env }), 'discovery-cache');
}
