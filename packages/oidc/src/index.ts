export type { OidcOptions } from './strategy.js';
export { oidc, oidcSearch } from './strategy.js';
