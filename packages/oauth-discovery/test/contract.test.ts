/**
 * The strategy contract (`testStrategy` from the testkit) over every strategy of the recommended
 * pipeline, presets included, so a new preset registered in `builtInPresets` is covered without
 * writing anything here. Each strategy package also runs it over its own strategy.
 */
import { testStrategy } from '@oauth-discovery/testkit/strategy-contract';
import { builtInPresets, recommendedStrategies } from '../src/index.js';

const all = () => recommendedStrategies({ presets: builtInPresets.map((preset) => preset.name) });

for (const [index, strategy] of all().entries()) {
  testStrategy(strategy.name, () => all()[index]!);
}
