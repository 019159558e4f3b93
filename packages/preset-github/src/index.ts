import { createPresetStrategy, type PresetStrategy, type PresetStrategyOptions } from '@oauth-discovery/core';
import { githubPreset } from './facts.js';

export { githubFacts, githubPreset } from './facts.js';

/** Options of {@link github}: `hosts` moves the preset onto other origins (a loopback replica in tests). */
export type GithubOptions = PresetStrategyOptions;

/**
 * The GitHub preset strategy, `preset:github`. Put it before the standard strategies.
 *
 * @example
 * ```ts
 * const pipeline = createPipeline([github(), wwwAuthenticate(), rfc9728(), rfc8414(), oidc()]);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.1
 */
export function github(options: GithubOptions = {}): PresetStrategy {
  return createPresetStrategy(githubPreset, options);
}
