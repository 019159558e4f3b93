export type { Rfc9728Options } from './strategy.js';
export { DEFAULT_MAX_AUTHORIZATION_SERVERS, fetchResourceMetadataAt, rfc9728 } from './strategy.js';
export type { ResourceMetadataUrl, ResourceMetadataUrlLabel } from './urls.js';
export { resourceMetadataUrls } from './urls.js';
