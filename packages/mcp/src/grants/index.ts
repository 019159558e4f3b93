export { checkCredentialBinding } from './binding.js';
export { assertGrantCredentials, type GrantClientAuth, grantClientAuth } from './client-auth.js';
export { createClientCredentialsRunner, type GrantRunner, grantApplies } from './client-credentials.js';
export type { ClientCredentialsGrantOptions, GrantOptions } from './options.js';
export { type AssertionAlgorithm, type AssertionKey, importAssertionKey } from './private-key.js';
