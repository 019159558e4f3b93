import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { parseHttpUrl } from '@oauth-discovery/core/http';
import { getPreset } from 'oauth-discovery';

/** What `--preset-hosts` asks for: the replacement origin of each real host, and the presets it names. */
export interface PresetHostsOption {
  /** `{ 'https://mcp.slack.com': 'http://127.0.0.1:4000', … }`, for the pipeline's `presetHosts`. */
  readonly hosts: Readonly<Record<string, string>>;
  /** Presets named by `<preset>=<origin>` (run even when they are not run by default). */
  readonly presets: readonly string[];
}

function invalid(value: string, message: string): never {
  throw new DiscoveryError(
    ErrorCodes.INVALID_CONFIG,
    `Invalid --preset-hosts ${JSON.stringify(value)}: ${message}`,
    {
      expected: '<preset>=<origin> or <real origin>=<origin>, comma-separated or repeated',
      actual: value,
    },
  );
}

function originOnly(value: string, text: string): string {
  if (!URL.canParse(text)) invalid(value, `${JSON.stringify(text)} is not an absolute URL`);
  const url = parseHttpUrl(text);
  if (url === null || url.origin !== text.replace(/\/$/, '')) {
    invalid(value, `${JSON.stringify(text)} is not an origin (scheme, host and port, no path)`);
  }
  return url.origin;
}

/**
 * Parses `--preset-hosts` values (each may hold several comma-separated mappings):
 *
 * - `<preset>=<origin>` moves **every** host of that built-in preset onto `<origin>` — the quick way to try a
 *   preset against a loopback replica (`slack=http://127.0.0.1:4000`);
 * - `<real origin>=<origin>` moves one host (`https://slack.com=http://127.0.0.2:4001`), for replicas
 *   that keep the provider's hosts apart, and for self-hosted deployments (`https://keycloak.invalid=https://sso.example.com`).
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` for a malformed mapping or an unknown preset.
 */
export function parsePresetHosts(values: readonly string[] | undefined): PresetHostsOption {
  const hosts: Record<string, string> = {};
  const presets: string[] = [];
  for (const value of values ?? []) {
    for (const mapping of value
      .split(',')
      .map((m) => m.trim())
      .filter((m) => m !== '')) {
      const eq = mapping.indexOf('=');
      if (eq <= 0 || eq === mapping.length - 1) invalid(mapping, 'expected <preset>=<origin>');
      const key = mapping.slice(0, eq);
      const target = originOnly(mapping, mapping.slice(eq + 1));
      if (key.includes('://')) {
        hosts[originOnly(mapping, key)] = target;
        continue;
      }
      const preset = getPreset(key);
      for (const host of preset.definition.hosts) hosts[host.replace(/\/$/, '')] = target;
      if (!presets.includes(key)) presets.push(key);
    }
  }
  return { hosts, presets };
}
