export type {
  AuthorizationServerFound,
  AuthorizationServerMetadata,
  DiscoverOptions,
  DiscoveryCache,
  DiscoveryEvent,
  DiscoveryResult,
  DiscoveryState,
  DiscoveryStrategy,
  DiscoveryTrace,
  ErrorCode,
  HttpAttempt,
  HttpClient,
  IssuerCandidate,
  IssuerCheck,
  IssuerPolicy,
  Pipeline,
  PipelineOptions,
  ProtectedResourceMetadata,
  ProviderHints,
  ResourceChallenge,
  ResourceMetadataFound,
  StrategyContext,
  StrategyOutcome,
  TraceStep,
} from '@oauth-discovery/core';
export {
  createPipeline,
  DiscoveryError,
  ErrorCodes,
  formatTrace,
  isDiscoveryError,
  isSecurityError,
  summarizeTrace,
} from '@oauth-discovery/core';
export { createMemoryCache } from '@oauth-discovery/core/cache';
export type { HttpClientOptions } from '@oauth-discovery/core/http';
export { createHttpClient } from '@oauth-discovery/core/http';
export { listPresetFacts } from '@oauth-discovery/core/preset';
export { legacyDefaults } from '@oauth-discovery/legacy-defaults';
export { oidc } from '@oauth-discovery/oidc';
export { asana } from '@oauth-discovery/preset-asana';
export { atlassian } from '@oauth-discovery/preset-atlassian';
export { auth0 } from '@oauth-discovery/preset-auth0';
export { awsCognito } from '@oauth-discovery/preset-aws-cognito';
export { box } from '@oauth-discovery/preset-box';
export { cloudflare } from '@oauth-discovery/preset-cloudflare';
export { github } from '@oauth-discovery/preset-github';
export { google } from '@oauth-discovery/preset-google';
export { hubspot } from '@oauth-discovery/preset-hubspot';
export { keycloak } from '@oauth-discovery/preset-keycloak';
export { linear } from '@oauth-discovery/preset-linear';
export { microsoftEntra } from '@oauth-discovery/preset-microsoft-entra';
export { notion } from '@oauth-discovery/preset-notion';
export { slack } from '@oauth-discovery/preset-slack';
export { stripe } from '@oauth-discovery/preset-stripe';
export { supabase } from '@oauth-discovery/preset-supabase';
export { rfc8414 } from '@oauth-discovery/rfc8414';
export { rfc9728 } from '@oauth-discovery/rfc9728';
export type { StaticConfig, StaticConfigEntry } from '@oauth-discovery/static-config';
export { loadStaticConfig, staticConfig } from '@oauth-discovery/static-config';
export { buildProbeRequest, parseWwwAuthenticate, wwwAuthenticate } from '@oauth-discovery/www-authenticate';
export type { OneShotDiscoverOptions } from './discover.js';
export { discover } from './discover.js';
export type { BuiltInPreset } from './presets.js';
export { builtInPresets, createPreset, defaultPresetNames, getPreset, presetNames } from './presets.js';
export type { RecommendedPipelineOptions } from './recommended.js';
export { createRecommendedPipeline, recommendedStrategies } from './recommended.js';
