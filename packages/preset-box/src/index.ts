import {
  createPresetStrategy,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core/preset';
import { boxPreset } from './facts.js';

export { boxFacts, boxPreset } from './facts.js';

/** Options of {@link box}: `hosts` moves the preset onto other origins (a loopback replica in tests). */
export type BoxOptions = PresetStrategyOptions;

/**
 * The Box preset strategy, `preset:box`. Put it before the standard strategies.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function box(options: BoxOptions = {}): PresetStrategy {
  return createPresetStrategy(boxPreset, options);
}
