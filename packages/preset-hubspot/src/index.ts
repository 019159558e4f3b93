import {
  createPresetStrategy,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core/preset';
import { hubspotPreset } from './facts.js';

export { hubspotFacts, hubspotPreset } from './facts.js';

/** Options of {@link hubspot}: `hosts` moves the preset onto other origins (a loopback replica in tests). */
export type HubspotOptions = PresetStrategyOptions;

/**
 * The Hubspot preset strategy, `preset:hubspot`. Put it before the standard strategies.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function hubspot(options: HubspotOptions = {}): PresetStrategy {
  return createPresetStrategy(hubspotPreset, options);
}
