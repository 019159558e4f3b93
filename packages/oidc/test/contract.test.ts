import { testStrategy } from '@oauth-discovery/testkit/strategy-contract';
import { oidc } from '../src/index.js';

testStrategy('oidc', () => oidc());
