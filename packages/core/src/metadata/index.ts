// `@oauth-discovery/core/metadata`: the protocol steps — well-known URL builders, fetch and
// `process…Response` validators, the metadata schemas, and the rules about resources, issuers,
// PKCE and scopes (RFC 9728, RFC 8414, OpenID Connect Discovery).
export {
  extraAuthorizationParameters,
  providerHintsSchema,
  RESERVED_AUTHORIZATION_PARAMETERS,
} from '../hints-schema.js';
export type { MetadataUrlKind, RegistrationMethod } from '../types.js';
export { fetchAuthorizationServerMetadata, fetchResourceMetadata } from './fetch.js';
export type { PkceSupport } from './pkce.js';
export { pkceSupport } from './pkce.js';
export type { AuthorizationServerExpectation } from './process-authorization-server.js';
export {
  isEndpointField,
  processAuthorizationServerMetadataResponse,
} from './process-authorization-server.js';
export { processResourceMetadataResponse } from './process-resource.js';
export { issuersMatch, normalizeResource, resourcesMatch } from './resource.js';
export {
  authorizationServerMetadataSchema,
  endpointUrl,
  MAX_UNKNOWN_FIELD_DEPTH,
  MAX_UNKNOWN_FIELD_SIZE,
  protectedResourceMetadataSchema,
} from './schemas.js';
export { chooseScopes } from './scopes.js';
export { assertSecureUrl, isSecureUrl } from './secure-url.js';
export type { MetadataUrlCandidate } from './well-known.js';
export {
  authorizationServerMetadataUrls,
  oauthMetadataUrl,
  oidcMetadataUrls,
  protectedResourceMetadataUrls,
} from './well-known.js';
