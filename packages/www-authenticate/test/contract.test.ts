import { testStrategy } from '@oauth-discovery/testkit/strategy-contract';
import { wwwAuthenticate } from '../src/index.js';

testStrategy('www-authenticate', () => wwwAuthenticate());
