export { createAuthFetch } from './auth-fetch.js';
export type { AuthSession, AuthSessionApi, OAuthProviderOptions } from './auth-session.js';
export { createAuthSession, undiciFetchLike } from './auth-session.js';
export type { CallbackServer, CallbackServerOptions, IssuerExpectation } from './callback-server.js';
export { DEFAULT_CALLBACK_PORT, startCallbackServer } from './callback-server.js';
export type { ConnectOptions, LoginResult, LogoutOptions } from './connect.js';
export { login, logout } from './connect.js';
export type { DiscoveryOptions } from './default-discovery.js';
export type {
  DPoPAlgorithm,
  DPoPKey,
  DPoPOptions,
  DPoPSetting,
  StoredDPoPKey,
} from './dpop/index.js';
export { DPOP_ALGORITHMS, decodeDPoPKey, encodeDPoPKey } from './dpop/index.js';
// The flow engine (openid-client 6 fed by our discovery result): the only code that builds an
// authorization URL, exchanges a code, refreshes or runs a grant.
export type {
  AuthorizationCode,
  AuthorizationRequest,
  AuthorizationResponseCheck,
  ClientAuthSettings,
  CodeExchange,
  EngineClient,
  EngineTransport,
  PkcePair,
  RefreshStorage,
  TokenEndpointAuthMethod,
  TokenErrorDetails,
  TokenRequestOptions,
} from './engine/index.js';
export {
  addExtraAuthorizationParameters,
  assertPkceUsable,
  buildAuthorizationUrl,
  createPkcePair,
  createState,
  engineConfiguration,
  exchangeAuthorizationCode,
  expiresAtFrom,
  grantRequest,
  isRefreshRefusal,
  MAX_TOKEN_LIFETIME_SECONDS,
  MIN_REFRESH_DELAY_MS,
  processAuthorizationResponse,
  refreshDueAt,
  refreshTokens,
  s256Challenge,
  selectTokenEndpointAuthMethod,
  tokenParameters,
  tokensFresh,
} from './engine/index.js';
export type { FlowErrorCode } from './error-codes.js';
export { FlowErrorCodes } from './error-codes.js';
export type { McpAuthEvent, McpAuthEventListener } from './events.js';
export type { FetchLike } from './fetch-like.js';
export type { FlowContext, FrontChannelOptions } from './flow.js';
export { DEFAULT_HEADLESS_CALLBACK_PORT, refreshStoredTokens, runAuthorization, storeKey } from './flow.js';
export type {
  AssertionAlgorithm,
  ClientCredentialsGrantOptions,
  EnterpriseIdpOptions,
  GrantClient,
  GrantOptions,
  JwtBearerGrantOptions,
  TokenExchangeGrantOptions,
  TokenSource,
} from './grants/index.js';
export {
  assertGrantOptions,
  createGrantRunner,
  type GrantRunner,
  importAssertionKey,
  readToken,
  requestIdJag,
} from './grants/index.js';
export type { HeadlessOptions } from './headless.js';
export { followAuthorizationRedirects } from './headless.js';
export type { ClientOptions, ResolveClientContext, ResolvedClient } from './oauth/registration.js';
export { registerClient, resolveClient } from './oauth/registration.js';
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
