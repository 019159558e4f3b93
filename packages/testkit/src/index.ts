export { startAuthorizationServer } from './as/start-authorization-server.js';
export type {
  AuthorizationServerHandle,
  AuthorizationServerOptions,
  IssuedToken,
  RegisteredClient,
} from './as/types.js';
export type {
  EnterpriseIdpHandle,
  EnterpriseIdpOptions,
  IdpClient,
} from './assertion/enterprise-idp.js';
export { startEnterpriseIdp } from './assertion/enterprise-idp.js';
export type { GrantServerClient, SeenGrantRequest } from './assertion/form.js';
export type {
  AssertionGrantWorld,
  AssertionGrantWorldOptions,
  WorkloadTokenOptions,
} from './assertion/grant-world.js';
export { startAssertionGrantWorld } from './assertion/grant-world.js';
export type {
  JwtBearerServerHandle,
  JwtBearerServerOptions,
  TrustedIssuer,
} from './assertion/jwt-bearer-server.js';
export { startJwtBearerServer } from './assertion/jwt-bearer-server.js';
export type { SignOptions } from './assertion/keys.js';
export type { TokenEndpointDPoP, TokenEndpointDPoPOptions } from './assertion/token-dpop.js';
export type { AuthorizationServerMetadataOptions } from './documents.js';
export {
  authorizationServerMetadata,
  openIdConfiguration,
  prmPath,
  protectedResourceMetadata,
  resourceMetadataChallenge,
  unauthorized,
} from './documents.js';
export type { AcceptedProof, ProofCheck, ProofExpectation } from './dpop-proof.js';
export { checkDPoPProof } from './dpop-proof.js';
export type {
  CapturedTokenRequest,
  HostileAuthorizationServerHandle,
  HostileAuthorizationServerOptions,
} from './hostile/hostile-as.js';
export { startHostileAuthorizationServer } from './hostile/hostile-as.js';
export { deeplyNestedJson, rawTerminalControls, TERMINAL_PAYLOAD } from './hostile/payloads.js';
export type { HostileHost } from './hostile/shapes.js';
export {
  startControlCharacterServer,
  startCredentialStealingServer,
  startDeepJsonServer,
  startHugeExpiresInServer,
} from './hostile/shapes.js';
export type { TrickleOptions, TricklingServerHandle } from './hostile/trickle.js';
export { startTricklingServer, trickle } from './hostile/trickle.js';
export type { ResourceDPoP, ResourceDPoPOptions } from './mcp/dpop-check.js';
export type {
  ChallengeContext,
  ExtraRoute,
  McpResourceMetadataOptions,
  McpServerHandle,
  McpServerOptions,
} from './mcp/start-mcp-server.js';
export { jsonRoute, startMcpServer } from './mcp/start-mcp-server.js';
export type {
  ClientMetadata,
  OidcProviderHandle,
  OidcProviderOptions,
  ResourceServerConfig,
} from './oidc/start-oidc-provider.js';
export { startOidcProvider } from './oidc/start-oidc-provider.js';
export type { PrmShapeSpec, ShapeAuthorizationServer } from './prm-shape.js';
export { OAUTH_AS, OIDC, oauthAtOrigin, PRM_ROOT, prmNamingSpec, prmShape } from './prm-shape.js';
export type {
  AtlassianAuthV2Options,
  AtlassianV1Options,
  EntraOptions,
  GithubOptions,
} from './provider-shapes.js';
export {
  ATLASSIAN_V1_CHALLENGE,
  atlassianAuthV2World,
  atlassianV1World,
  entraWorld,
  githubWorld,
} from './provider-shapes.js';
export type {
  ForeignIssuerOptions,
  GithubEnterpriseOptions,
  HubspotOptions,
  SlackOptions,
} from './provider-shapes-2026.js';
export {
  foreignIssuerWorld,
  githubEnterpriseWorld,
  hubspotWorld,
  slackWorld,
} from './provider-shapes-2026.js';
export type { ConformantOptions } from './provider-shapes-conformant.js';
export {
  asanaWorld,
  auth0World,
  boxWorld,
  cloudflareWorld,
  cognitoWorld,
  googleWorld,
  keycloakWorld,
  linearWorld,
  notionWorld,
  stripeWorld,
  supabaseWorld,
} from './provider-shapes-conformant.js';
export type { NodeRun } from './run-node.js';
export { runNode } from './run-node.js';
export type { ShapeExpectation, ShapeOptions, WorldShape } from './shape-types.js';
export {
  noMetadataWorld,
  oidcOnlyWorld,
  pathIssuerAppendOnlyWorld,
  pathIssuerInsertionWorld,
  prmPathAwareWorld,
  prmRootWorld,
  resourceMetadataHeaderWorld,
  scopeChallengeWorld,
} from './shapes.js';
export type { TestScope } from './strategy-harness.js';
export {
  captureState,
  found,
  givenCandidates,
  givenChallenge,
  rejection,
  stateWith,
  stepOf,
  strategyContext,
  testScope,
  tracedUrls,
  urlsOf,
} from './strategy-harness.js';
export type { TokenInfo } from './token-info.js';
export { startWorld } from './world.js';
export type {
  JsonValue,
  OriginSpec,
  RequestLogEntry,
  Route,
  RouteSpec,
  World,
  WorldSpec,
  WorldValue,
} from './world-types.js';
