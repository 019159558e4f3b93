import { testStrategy } from '@oauth-discovery/testkit/strategy-contract';
import { staticConfig } from '../src/index.js';

// Every loopback resource the contract's worlds start; the metadata is given, so no request is due.
testStrategy('static-config', () =>
  staticConfig([
    {
      resource: { pattern: 'http://127.0.0.1:*/mcp' },
      metadata: {
        issuer: 'http://127.0.0.1:9',
        authorization_endpoint: 'http://127.0.0.1:9/authorize',
        token_endpoint: 'http://127.0.0.1:9/token',
        code_challenge_methods_supported: ['S256'],
      },
    },
  ]),
);
