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
  ProviderHints,
  ResourceChallenge,
  ResourceMetadataFound,
  StrategyContext,
  StrategyOutcome,
} from './types.js';
