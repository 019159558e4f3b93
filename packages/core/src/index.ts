// The front door: what a discovery consumer or a strategy author needs. The rest is in the subpaths
// (`@oauth-discovery/core/metadata`, `/http`, `/strategy-kit`, `/preset`, `/cache`, `/trace`); see
// docs/architecture.md for the map.

export { type AbortedErrorOptions, abortedError, abortReason, isAbortError } from './abort.js';
export type { DiscoveryCache } from './cache/types.js';
export { type DefinedProperties, definedProperties } from './defined-properties.js';
export type { ErrorCode, ErrorCodeRegistry, ErrorContext } from './errors.js';
export {
  DiscoveryError,
  ErrorCodes,
  isDiscoveryError,
  isSecurityError,
  SECURITY_ERROR_CODES,
} from './errors.js';
export type { AuthorizationServerMetadata, ProtectedResourceMetadata } from './metadata/schemas.js';
export type { Pipeline } from './pipeline/create-pipeline.js';
export { createPipeline } from './pipeline/create-pipeline.js';
export type { DiscoveryEvent, DiscoveryEventListener } from './pipeline/events.js';
export type { CacheTtlOptions, PipelineOptions } from './pipeline/options.js';
export { PIPELINE_DEFAULTS } from './pipeline/options.js';
export { formatTrace, summarizeTrace } from './trace/format.js';
export type { DiscoveryTrace, HttpAttempt, TraceMiss, TraceStep } from './trace/types.js';
export type {
  AuthorizationServerFound,
  Contribution,
  ContributionKey,
  Discoverer,
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
  ProviderHints,
  ResourceChallenge,
  ResourceIdentifierException,
  ResourceMetadataFound,
  StrategyContext,
  StrategyOutcome,
} from './types.js';
