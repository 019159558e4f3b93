export { createAuthFetch } from './auth-fetch.js';
export type { AuthSession, OAuthProviderOptions } from './auth-session.js';
export { createAuthSession, undiciFetchLike } from './auth-session.js';
export type { CallbackServer, CallbackServerOptions, IssuerExpectation } from './callback-server.js';
export { startCallbackServer } from './callback-server.js';
export type { ConnectOptions, LoginResult, LogoutOptions } from './connect.js';
export { login, logout } from './connect.js';
export type { DiscoveryOptions } from './default-discovery.js';
export type { FlowErrorCode } from './error-codes.js';
export { FlowErrorCodes } from './error-codes.js';
export type { McpAuthEvent, McpAuthEventListener } from './events.js';
export type { FetchLike } from './fetch-like.js';
export type { FlowContext, FrontChannelOptions } from './flow.js';
export { DEFAULT_HEADLESS_CALLBACK_PORT, refreshStoredTokens, runAuthorization, storeKey } from './flow.js';
export type {
  AssertionAlgorithm,
  ClientCredentialsGrantOptions,
  GrantOptions,
} from './grants/index.js';
export { importAssertionKey } from './grants/index.js';
export type { HeadlessOptions } from './headless.js';
export { followAuthorizationRedirects } from './headless.js';
export type {
  AuthorizationCode,
  AuthorizationRequest,
  AuthorizationResponseCheck,
} from './oauth/authorization.js';
export {
  addExtraAuthorizationParameters,
  buildAuthorizationUrl,
  processAuthorizationResponse,
} from './oauth/authorization.js';
export type { PkcePair } from './oauth/pkce.js';
export { assertPkceUsable, createPkcePair, createState, s256Challenge } from './oauth/pkce.js';
export type { ClientOptions, ResolveClientContext, ResolvedClient } from './oauth/registration.js';
export { registerClient, resolveClient } from './oauth/registration.js';
export type { TokenEndpointAuthMethod, TokenErrorDetails, TokenRequest } from './oauth/token.js';
export {
  buildTokenRequest,
  expiresAtFrom,
  MAX_TOKEN_LIFETIME_SECONDS,
  MIN_REFRESH_DELAY_MS,
  refreshDueAt,
  requestTokens,
  selectTokenEndpointAuthMethod,
  tokensFresh,
} from './oauth/token.js';
export { resourceIndicator } from './resource-indicator.js';
export type { Discoverer, Session, SessionSettings } from './session.js';
export { createSession, isFresh } from './session.js';
export { bindingScope, issuerBinding, isVerifiedIssuer } from './store/binding.js';
export type { ConfigDirEnvironment, FileStoreOptions } from './store/file-store.js';
export { createFileStore, defaultConfigDir } from './store/file-store.js';
export { createMemoryStore } from './store/memory-store.js';
export type {
  ClientSource,
  IssuerBinding,
  PendingAuthorization,
  StoredClient,
  StoredTokens,
  StoreKey,
  TokenStore,
} from './store/types.js';
