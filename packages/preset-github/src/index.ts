import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import {
  createPresetStrategy,
  type PresetDefinition,
  type PresetFact,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core/preset';
import { githubPreset } from './facts.js';

export { githubFacts, githubPreset } from './facts.js';

/** Options of {@link github}. */
export interface GithubOptions extends PresetStrategyOptions {
  /**
   * Copilot API hosts of your enterprise (https origins, e.g. a data-residency `https://copilot-api.acme.ghe.com`)
   * to treat like `https://api.enterprise.githubcopilot.com`: their `/mcp/readonly` endpoint may get the
   * protected resource metadata of `https://api.githubcopilot.com/mcp/readonly` (a traced exception). The
   * evidence for other hosts than api.enterprise.githubcopilot.com is thin: the fact says so.
   */
  readonly enterpriseHosts?: readonly string[];
}

const PER_HOST_FACT: PresetFact = {
  id: 'enterprise-per-host',
  statement:
    'Enterprise Copilot API hosts configured by the operator are assumed to route MCP like https://api.enterprise.githubcopilot.com (PRM on api.githubcopilot.com)',
  observed: '2026-08-08',
  source: 'https://github.com/github/copilot-cli/issues/4408 (one enterprise host observed)',
  evidence: 'thin',
};

function invalid(index: number, actual: unknown): never {
  throw new DiscoveryError(
    ErrorCodes.INVALID_CONFIG,
    `Invalid options of preset github: enterpriseHosts[${index}]: expected an https origin (no path)`,
    { expected: 'an https origin', actual },
  );
}

function httpsOrigin(value: unknown, index: number): string {
  if (typeof value !== 'string' || !URL.canParse(value)) invalid(index, value);
  const url = new URL(value);
  if (url.protocol !== 'https:' || url.origin !== value.replace(/\/$/, '')) invalid(index, value);
  return url.origin;
}

/**
 * The definition in effect for these options: {@link githubPreset}, plus — with `enterpriseHosts` — one
 * entry per host, shaped like the Copilot Enterprise entry and citing the (thin) per-host fact.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` naming the bad host.
 */
export function githubDefinition(options: GithubOptions = {}): PresetDefinition {
  const hosts = (options.enterpriseHosts ?? []).map(httpsOrigin);
  if (hosts.length === 0) return githubPreset;
  const template = githubPreset.resources?.find((r) => r.label === 'GitHub Copilot Enterprise MCP endpoint');
  if (template === undefined) return githubPreset;
  return {
    ...githubPreset,
    facts: [...githubPreset.facts, PER_HOST_FACT],
    resources: [
      ...(githubPreset.resources ?? []),
      ...hosts.map((host) => ({
        ...template,
        label: `GitHub Copilot Enterprise MCP endpoint on ${host}`,
        match: [{ url: `${host}/mcp/readonly` }],
        facts: [...template.facts, PER_HOST_FACT.id],
      })),
    ],
  };
}

/**
 * The GitHub preset strategy, `preset:github`. Put it before the standard strategies.
 *
 * @example
 * ```ts
 * const pipeline = createPipeline([github(), wwwAuthenticate(), rfc9728(), rfc8414(), oidc()]);
 * ```
 * @throws {DiscoveryError} `INVALID_CONFIG` for a bad `enterpriseHosts` entry or `hosts` override.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.1
 */
export function github(options: GithubOptions = {}): PresetStrategy {
  return createPresetStrategy(
    githubDefinition(options),
    options.hosts === undefined ? {} : { hosts: options.hosts },
  );
}
