import {
  createPresetStrategy,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core/preset';
import { stripePreset } from './facts.js';

export { stripeFacts, stripePreset } from './facts.js';

/** Options of {@link stripe}: `hosts` moves the preset onto other origins (a loopback replica in tests). */
export type StripeOptions = PresetStrategyOptions;

/**
 * The Stripe preset strategy, `preset:stripe`. Put it before the standard strategies.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function stripe(options: StripeOptions = {}): PresetStrategy {
  return createPresetStrategy(stripePreset, options);
}
