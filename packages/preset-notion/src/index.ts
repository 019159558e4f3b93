import {
  createPresetStrategy,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core/preset';
import { notionPreset } from './facts.js';

export { notionFacts, notionPreset } from './facts.js';

/** Options of {@link notion}: `hosts` moves the preset onto other origins (a loopback replica in tests). */
export type NotionOptions = PresetStrategyOptions;

/**
 * The Notion preset strategy, `preset:notion`. Put it before the standard strategies.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function notion(options: NotionOptions = {}): PresetStrategy {
  return createPresetStrategy(notionPreset, options);
}
