import {
  createPresetStrategy,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core/preset';
import { googlePreset } from './facts.js';

export { googleFacts, googlePreset } from './facts.js';

/** Options of {@link google}: `hosts` moves the preset onto other origins (a loopback replica in tests). */
export type GoogleOptions = PresetStrategyOptions;

/**
 * The Google preset strategy, `preset:google`. Put it before the standard strategies.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function google(options: GoogleOptions = {}): PresetStrategy {
  return createPresetStrategy(googlePreset, options);
}
