export { type AbortedErrorOptions, abortedError, abortReason, isAbortError } from './abort.js';
export type { FileCacheOptions } from './cache/file-cache.js';
export { createFileCache } from './cache/file-cache.js';
export { discoveryCacheKey, requestKey } from './cache/key.js';
export type { MemoryCache, MemoryCacheOptions } from './cache/memory-cache.js';
export { createMemoryCache } from './cache/memory-cache.js';
export type { CacheLifetimes } from './cache/rules.js';
export { documentLifetime, hadTransientFault, missLifetime, resultLifetime } from './cache/rules.js';
export type { CacheDirectives, TtlLimits } from './cache/ttl.js';
export { cacheTtlFromHeaders, parseCacheControl } from './cache/ttl.js';
export type { CachedFailure, CachedSuccess, CacheEntry, DiscoveryCache } from './cache/types.js';
export type { ErrorCode, ErrorContext } from './errors.js';
export {
  DiscoveryError,
  ErrorCodes,
  isDiscoveryError,
  isSecurityError,
  SECURITY_ERROR_CODES,
} from './errors.js';
export {
  extraAuthorizationParameters,
  providerHintsSchema,
  RESERVED_AUTHORIZATION_PARAMETERS,
} from './hints-schema.js';
export { isCloudMetadataAddress } from './http/address-cloud-metadata.js';
export type { AgentPool, GuardPolicy } from './http/address-guard.js';
export { assertAddressLiteralAllowed, createAgentPool } from './http/address-guard.js';
export type { AddressPolicy, AddressRange } from './http/address-policy.js';
export { classifyAddress, isAddressAllowed, isLoopbackHost } from './http/address-policy.js';
export type { SafeHttpClient } from './http/client.js';
export { createHttpClient } from './http/client.js';
export type { HttpClientOptions } from './http/client-options.js';
export { resourceAddressRanges } from './http/resource-ranges.js';
export type { EffectiveIssuerPolicy } from './issuer-policy.js';
export { issuerPolicyFor, issuerPolicyMatches } from './issuer-policy.js';
export { fetchAuthorizationServerMetadata, fetchResourceMetadata } from './metadata/fetch.js';
export type { PkceSupport } from './metadata/pkce.js';
export { pkceSupport } from './metadata/pkce.js';
export type { AuthorizationServerExpectation } from './metadata/process-authorization-server.js';
export {
  isEndpointField,
  processAuthorizationServerMetadataResponse,
} from './metadata/process-authorization-server.js';
export { processResourceMetadataResponse } from './metadata/process-resource.js';
export { issuersMatch, normalizeResource, resourcesMatch } from './metadata/resource.js';
export type { AuthorizationServerMetadata, ProtectedResourceMetadata } from './metadata/schemas.js';
export {
  authorizationServerMetadataSchema,
  endpointUrl,
  MAX_UNKNOWN_FIELD_DEPTH,
  MAX_UNKNOWN_FIELD_SIZE,
  protectedResourceMetadataSchema,
} from './metadata/schemas.js';
export { chooseScopes } from './metadata/scopes.js';
export { assertSecureUrl, isSecureUrl } from './metadata/secure-url.js';
export type { MetadataUrlCandidate } from './metadata/well-known.js';
export {
  authorizationServerMetadataUrls,
  oauthMetadataUrl,
  oidcMetadataUrls,
  protectedResourceMetadataUrls,
} from './metadata/well-known.js';
export type { Pipeline } from './pipeline/create-pipeline.js';
export { createPipeline } from './pipeline/create-pipeline.js';
export type {
  DiscoveryEvent,
  DiscoveryEventListener,
  DiscoveryFinishedEvent,
  DiscoveryStartedEvent,
  RequestFinishedEvent,
  RequestStartedEvent,
  StepFinishedEvent,
  StepStartedEvent,
} from './pipeline/events.js';
export type { CacheTtlOptions, PipelineOptions } from './pipeline/options.js';
export { PIPELINE_DEFAULTS } from './pipeline/options.js';
export { validatePresetDefinition } from './preset/definition-schema.js';
export { citedFacts, formatPresetFact, listPresetFacts } from './preset/facts.js';
export { applyHostOverrides, resolveHostOverrides, rewriteUrl } from './preset/hosts.js';
export { configProblems, invalidConfigError } from './preset/invalid-config.js';
export { describeMatch, findPresetResource, presetResourceMatches } from './preset/match.js';
export {
  describeResourceIdentifierException,
  findResourceIdentifierException,
  relaxationOf,
} from './preset/resource-exception.js';
export type { ResourceMatch } from './preset/resource-match.js';
export {
  describeResourceMatch,
  globToRegExp,
  resourceMatches,
  resourceMatchSchema,
} from './preset/resource-match.js';
export type { PresetStrategy } from './preset/strategy.js';
export { createPresetStrategy } from './preset/strategy.js';
export type {
  PresetAcceptedIssuer,
  PresetDefinition,
  PresetFact,
  PresetFactListing,
  PresetIssuer,
  PresetIssuerPolicy,
  PresetResource,
  PresetResourceIdentifierException,
  PresetResourceMatch,
  PresetStrategyOptions,
} from './preset/types.js';
export { announcesResourceMetadata } from './strategy-kit/announced.js';
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
export type {
  AuthorizationServerChoice,
  ClientRegistrationCapabilities,
} from './strategy-kit/choose-authorization-server.js';
export { chooseAuthorizationServer, registrationPath } from './strategy-kit/choose-authorization-server.js';
export type { Miss, Try, TryResult } from './strategy-kit/try-in-order.js';
export { describeMiss, isMissError, MISS_ERROR_CODES, tryInOrder } from './strategy-kit/try-in-order.js';
export type { SafeTextOptions } from './text/safe-text.js';
export { hasUnsafeText, safeText } from './text/safe-text.js';
export type { FormatTraceOptions } from './trace/format.js';
export { formatTrace, summarizeTrace } from './trace/format.js';
export type { DiscoveryTrace, HttpAttempt, TraceMiss, TraceStep } from './trace/types.js';
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
  RegistrationMethod,
  ResourceChallenge,
  ResourceIdentifierException,
  ResourceMetadataFound,
  StrategyContext,
  StrategyOutcome,
} from './types.js';
