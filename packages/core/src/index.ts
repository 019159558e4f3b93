export type { ErrorCode, ErrorContext } from './errors.js';
export {
  DiscoveryError,
  ErrorCodes,
  isDiscoveryError,
  isSecurityError,
  SECURITY_ERROR_CODES,
} from './errors.js';
export type { EffectiveIssuerPolicy } from './issuer-policy.js';
export { issuerPolicyFor, issuerPolicyMatches } from './issuer-policy.js';
export { fetchAuthorizationServerMetadata, fetchResourceMetadata } from './metadata/fetch.js';
export type { MetadataUrlCandidate } from './metadata/well-known.js';
export {
  authorizationServerMetadataUrls,
  oauthMetadataUrl,
  oidcMetadataUrls,
  protectedResourceMetadataUrls,
} from './metadata/well-known.js';
export type {
  AuthorizationServerSearch,
  CandidateMetadataUrl,
  CandidatePlan,
} from './strategy-kit/authorization-server.js';
export {
  authorizationServerPrefetch,
  candidateMetadataUrls,
  findAuthorizationServer,
  needsLegacyOriginFallback,
} from './strategy-kit/authorization-server.js';
export type { Miss, Try, TryResult } from './strategy-kit/try-in-order.js';
export { describeMiss, isMissError, MISS_ERROR_CODES, tryInOrder } from './strategy-kit/try-in-order.js';
export type { DiscoveryTrace, HttpAttempt, TraceStep } from './trace/types.js';
export type {
  AuthorizationServerFound,
  Contribution,
  ContributionKey,
  DiscoverOptions,
  DiscoveryResult,
  DiscoveryState,
  DiscoveryStrategy,
  HttpClient,
  HttpRequestInit,
  HttpResponse,
  IssuerCandidate,
  IssuerCheck,
  IssuerPolicy,
  MetadataUrlKind,
  ProviderHints,
  ResourceChallenge,
  ResourceMetadataFound,
  StrategyContext,
  StrategyOutcome,
} from './types.js';
