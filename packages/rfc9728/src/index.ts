export { fetchResourceMetadataAt, rfc9728 } from './strategy.js';
export type { ResourceMetadataUrl, ResourceMetadataUrlLabel } from './urls.js';
export { resourceMetadataUrls } from './urls.js';
