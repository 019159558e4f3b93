// `@oauth-discovery/core/preset`: what a provider preset is made of — the definition and its
// schema, resource matching, host overrides, issuer policies and the dated, sourced facts.
export type { EffectiveIssuerPolicy } from '../issuer-policy.js';
export { issuerPolicyFor, issuerPolicyMatches } from '../issuer-policy.js';
export { validatePresetDefinition } from './definition-schema.js';
export { citedFacts, formatPresetFact, listPresetFacts } from './facts.js';
export { applyHostOverrides, resolveHostOverrides, rewriteUrl } from './hosts.js';
export { configProblems, invalidConfigError } from './invalid-config.js';
export { compilePresetResources, describeMatch, findPresetResource, presetResourceMatches } from './match.js';
export {
  describeResourceIdentifierException,
  findResourceIdentifierException,
  relaxationOf,
} from './resource-exception.js';
export type { CompiledResourceMatch, ResourceMatch } from './resource-match.js';
export {
  compileResourceMatch,
  describeResourceMatch,
  globToRegExp,
  resourceMatches,
  resourceMatchSchema,
} from './resource-match.js';
export type { PresetStrategy } from './strategy.js';
export { createPresetStrategy } from './strategy.js';
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
} from './types.js';
export type { UrlSchemaOptions } from './url-schemas.js';
export {
  createHttpUrlSchema,
  createOriginUrlSchema,
  createSecureIssuerUrlSchema,
  httpUrlSchema,
  issuerUrlSchema,
  originUrlSchema,
  secureIssuerUrlSchema,
  secureUrlSchema,
} from './url-schemas.js';
