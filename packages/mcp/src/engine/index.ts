export type { AuthorizationRequest } from './authorization-request.js';
export { addExtraAuthorizationParameters, buildAuthorizationUrl } from './authorization-request.js';
export type { AuthorizationCode, AuthorizationResponseCheck } from './authorization-response.js';
export { processAuthorizationResponse } from './authorization-response.js';
export type { ClientAuthSettings, TokenEndpointAuthMethod } from './client-auth.js';
export {
  basicCredentials,
  clientAuthFor,
  clientSecretBasic,
  selectTokenEndpointAuthMethod,
} from './client-auth.js';
export type { CodeExchange } from './code-exchange.js';
export { exchangeAuthorizationCode } from './code-exchange.js';
export type { EngineClient, EngineTransport } from './configuration.js';
export { engineConfiguration, requireEndpoint } from './configuration.js';
export {
  expiresAtFrom,
  MAX_TOKEN_LIFETIME_SECONDS,
  MIN_REFRESH_DELAY_MS,
  refreshDueAt,
  tokensFresh,
} from './lifetime.js';
export type { PkcePair } from './pkce.js';
export { assertPkceUsable, createPkcePair, createState, s256Challenge } from './pkce.js';
export { rawGrantRequest } from './raw-grant.js';
export type { RefreshStorage } from './refresh.js';
export { refreshTokens } from './refresh.js';
export { isRefreshRefusal } from './refusal.js';
export type { TokenRequestOptions } from './token-request.js';
export { grantRequest, runTokenRequest, tokenParameters } from './token-request.js';
export type { TokenErrorDetails } from './token-response.js';
export { tokenRequestError, toStoredTokens } from './token-response.js';
export { checkTokenType } from './token-type.js';
