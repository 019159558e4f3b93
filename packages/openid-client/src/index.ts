export type {
  OpenidClientCredentials,
  ToConfigurationOptions,
} from './configuration.js';
export { toOpenidClientConfiguration } from './configuration.js';
export { httpClientFetch } from './custom-fetch.js';
export type {
  DiscoverConfigurationOptions,
  DiscoveredConfiguration,
  Discoverer,
} from './discover-configuration.js';
export { discoverConfiguration } from './discover-configuration.js';
export { isOAuthRefusal, unwrapDiscoveryError } from './errors.js';
export { insecureLoopbackEndpoints, LOOPBACK_HTTP_RELAXATION } from './insecure-loopback.js';
export type { AuthorizationParameterInput } from './parameters.js';
export {
  assertPkceS256,
  authorizationParameters,
  resourceParameter,
  tokenParameters,
} from './parameters.js';
