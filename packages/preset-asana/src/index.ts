import {
  createPresetStrategy,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core/preset';
import { asanaPreset } from './facts.js';

export { asanaFacts, asanaPreset } from './facts.js';

/** Options of {@link asana}: `hosts` moves the preset onto other origins (a loopback replica in tests). */
export type AsanaOptions = PresetStrategyOptions;

/**
 * The Asana preset strategy, `preset:asana`. Put it before the standard strategies.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function asana(options: AsanaOptions = {}): PresetStrategy {
  return createPresetStrategy(asanaPreset, options);
}
