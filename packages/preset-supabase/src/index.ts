import {
  createPresetStrategy,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core/preset';
import { supabasePreset } from './facts.js';

export { supabaseFacts, supabasePreset } from './facts.js';

/** Options of {@link supabase}: `hosts` moves the preset onto other origins (a loopback replica in tests). */
export type SupabaseOptions = PresetStrategyOptions;

/**
 * The Supabase preset strategy, `preset:supabase`. Put it before the standard strategies.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function supabase(options: SupabaseOptions = {}): PresetStrategy {
  return createPresetStrategy(supabasePreset, options);
}
