// `@oauth-discovery/core/strategy-kit`: building blocks for strategies — finding the authorization
// server from the candidates in the state, trying URLs in order, and the state a discovery starts
// from (for running a strategy by itself, as tests do).
export { initialState } from '../pipeline/state.js';
export { announcesResourceMetadata } from './announced.js';
export type {
  AuthorizationServerSearch,
  CandidateMetadataUrl,
  CandidatePlan,
} from './authorization-server.js';
export {
  authorizationServerPrefetch,
  candidateMetadataUrls,
  findAuthorizationServer,
  needsLegacyOriginFallback,
} from './authorization-server.js';
export type {
  AuthorizationServerChoice,
  ClientRegistrationCapabilities,
} from './choose-authorization-server.js';
export { chooseAuthorizationServer, registrationPath } from './choose-authorization-server.js';
export type { Miss, Try, TryResult } from './try-in-order.js';
export { describeMiss, isMissError, MISS_ERROR_CODES, tryInOrder } from './try-in-order.js';
