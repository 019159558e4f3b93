import {
  createPresetStrategy,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core/preset';
import { slackPreset } from './facts.js';

export { slackFacts, slackPreset } from './facts.js';

/** Options of {@link slack}: `hosts` moves the preset onto other origins (a loopback replica in tests). */
export type SlackOptions = PresetStrategyOptions;

/**
 * The Slack preset strategy, `preset:slack`. Put it before the standard strategies.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function slack(options: SlackOptions = {}): PresetStrategy {
  return createPresetStrategy(slackPreset, options);
}
