import {
  createPresetStrategy,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core/preset';
import { atlassianPreset } from './facts.js';

export { atlassianFacts, atlassianPreset } from './facts.js';

/** Options of {@link atlassian}: `hosts` moves the preset onto other origins (a loopback replica in tests). */
export type AtlassianOptions = PresetStrategyOptions;

/**
 * The Atlassian preset strategy, `preset:atlassian`. Put it before the standard strategies.
 *
 * @example
 * ```ts
 * const pipeline = createPipeline([atlassian(), wwwAuthenticate(), rfc9728(), rfc8414(), oidc()]);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function atlassian(options: AtlassianOptions = {}): PresetStrategy {
  return createPresetStrategy(atlassianPreset, options);
}
