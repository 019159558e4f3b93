import {
  createPresetStrategy,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core/preset';
import { cloudflarePreset } from './facts.js';

export { cloudflareFacts, cloudflarePreset } from './facts.js';

/** Options of {@link cloudflare}: `hosts` moves the preset onto other origins (a loopback replica in tests). */
export type CloudflareOptions = PresetStrategyOptions;

/**
 * The Cloudflare preset strategy, `preset:cloudflare`. Put it before the standard strategies.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function cloudflare(options: CloudflareOptions = {}): PresetStrategy {
  return createPresetStrategy(cloudflarePreset, options);
}
