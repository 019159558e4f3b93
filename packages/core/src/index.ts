export type { ErrorCode, ErrorContext } from './errors.js';
export { DiscoveryError, ErrorCodes, isDiscoveryError, isSecurityError, SECURITY_ERROR_CODES } from './errors.js';
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
export type { EffectiveIssuerPolicy } from './issuer-policy.js';
export { issuerPolicyFor, issuerPolicyMatches } from './issuer-policy.js';
