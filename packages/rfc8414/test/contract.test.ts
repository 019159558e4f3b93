import { testStrategy } from '@oauth-discovery/testkit/strategy-contract';
import { rfc8414 } from '../src/index.js';

testStrategy('rfc8414', () => rfc8414());
