import { testStrategy } from '@oauth-discovery/testkit/strategy-contract';
import { legacyDefaults } from '../src/index.js';

testStrategy('legacy-defaults', () => legacyDefaults());
