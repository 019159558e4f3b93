import {
  createPresetStrategy,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core/preset';
import { linearPreset } from './facts.js';

export { linearFacts, linearPreset } from './facts.js';

/** Options of {@link linear}: `hosts` moves the preset onto other origins (a loopback replica in tests). */
export type LinearOptions = PresetStrategyOptions;

/**
 * The Linear preset strategy, `preset:linear`. Put it before the standard strategies.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function linear(options: LinearOptions = {}): PresetStrategy {
  return createPresetStrategy(linearPreset, options);
}
