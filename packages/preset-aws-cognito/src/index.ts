import {
  createPresetStrategy,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core/preset';
import { awsCognitoPreset } from './facts.js';

export { awsCognitoFacts, awsCognitoPreset, COGNITO_REGIONS } from './facts.js';

/** Options of {@link awsCognito}: `hosts` moves the preset onto other origins (a loopback replica in tests). */
export type AwsCognitoOptions = PresetStrategyOptions;

/**
 * The Aws Cognito preset strategy, `preset:aws-cognito`. Put it before the standard strategies.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function awsCognito(options: AwsCognitoOptions = {}): PresetStrategy {
  return createPresetStrategy(awsCognitoPreset, options);
}
