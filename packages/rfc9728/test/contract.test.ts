import { testStrategy } from '@oauth-discovery/testkit/strategy-contract';
import { rfc9728 } from '../src/index.js';

testStrategy('rfc9728', () => rfc9728());
