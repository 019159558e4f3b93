export { checkCredentialBinding } from './binding.js';
export { assertGrantCredentials, type GrantClientAuth, grantClientAuth } from './client-auth.js';
export { createClientCredentialsRunner, type GrantRunner, grantApplies } from './client-credentials.js';
export { grantRequestFailed } from './grant-request.js';
export { JWT_BEARER_GRANT_TYPE, jwtBearerGrant } from './jwt-bearer.js';
export type {
  ClientCredentialsGrantOptions,
  EnterpriseIdpOptions,
  GrantClient,
  GrantOptions,
  JwtBearerGrantOptions,
  TokenExchangeGrantOptions,
  TokenSource,
} from './options.js';
export { type AssertionAlgorithm, type AssertionKey, importAssertionKey } from './private-key.js';
export { assertGrantOptions, createGrantRunner, runsGrant } from './runner.js';
export {
  ID_JAG_TOKEN_TYPE,
  ID_TOKEN_TYPE,
  type IdJagRequest,
  requestIdJag,
  TOKEN_EXCHANGE_GRANT_TYPE,
} from './token-exchange.js';
export { readToken } from './workload-token.js';
