import { DiscoveryError, type DiscoveryResult, ErrorCodes } from '@oauth-discovery/core';
import { extraAuthorizationParameters } from '@oauth-discovery/core/metadata';

/** What an authorization request needs besides the discovery result. */
export interface AuthorizationParameterInput {
  readonly redirectUri: string;
  /** The PKCE S256 challenge of the code verifier (openid-client `calculatePKCECodeChallenge`). */
  readonly codeChallenge: string;
  readonly state?: string | undefined;
  /** Scopes to request; default the result's `scopes` (challenge, then PRM, then hints). */
  readonly scopes?: readonly string[] | undefined;
}

/**
 * The RFC 8707 resource indicator for a discovery result, sent in the authorization and the token
 * request alike — the one `resource` rule of the project (the flow engine of `@oauth-discovery/mcp` uses
 * it too):
 *
 * - `undefined` when a hint says the provider rejects the parameter (`omitResourceParameter`);
 * - the PRM's `resource` exactly as published when there is one (it passed the RFC 9728 §3.3 check);
 * - else the resource as given, without the trailing slash of a bare origin (`https://mcp.example`,
 *   not `https://mcp.example/`): MCP 2026-07-28 prefers the canonical URI without it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/authorization#canonical-server-uri
 */
export function resourceParameter(result: DiscoveryResult): string | undefined {
  if (result.hints.omitResourceParameter === true) return undefined;
  const published = result.resourceMetadata?.document.resource;
  if (published !== undefined) return published;
  const url = new URL(result.resource);
  return url.pathname === '/' && url.search === '' ? url.origin : result.resource;
}

/**
 * Refuses to start an authorization when PKCE S256 is neither advertised by the authorization server
 * nor known to work (`hints.pkceS256KnownSupported`), as the MCP spec requires — the one PKCE rule of
 * the project (the flow engine of `@oauth-discovery/mcp` uses it too).
 *
 * @throws {DiscoveryError} `PKCE_NOT_SUPPORTED`
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-code-protection
 */
export function assertPkceS256(result: DiscoveryResult): void {
  if (result.pkce.s256Usable) return;
  const advertised = result.authorizationServer.metadata.code_challenge_methods_supported;
  throw new DiscoveryError(
    ErrorCodes.PKCE_NOT_SUPPORTED,
    `Authorization server ${result.authorizationServer.issuer} does not advertise PKCE S256 ` +
      `(code_challenge_methods_supported: ${advertised === undefined ? 'absent' : JSON.stringify(advertised)}); ` +
      'the MCP authorization spec requires refusing it. If you know this provider supports S256, use a preset or ' +
      'static config with the hint pkceS256KnownSupported.',
    {
      url: result.authorizationServer.metadataUrl ?? result.authorizationServer.issuer,
      expected: 'code_challenge_methods_supported including "S256"',
      actual: advertised ?? null,
    },
  );
}

/**
 * Parameters for openid-client's `buildAuthorizationUrl`: `redirect_uri`, `response_type=code`, the PKCE
 * S256 challenge, `state`, `scope` (omitted when there is none) and `resource` (omitted when a hint says
 * so), after a provider's `extraAuthorizationParameters` hint (core's `extraAuthorizationParameters`: never
 * one of these).
 *
 * @throws {DiscoveryError} `PKCE_NOT_SUPPORTED` when PKCE S256 is neither advertised nor known supported.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.1
 */
export function authorizationParameters(
  result: DiscoveryResult,
  input: AuthorizationParameterInput,
): Record<string, string> {
  assertPkceS256(result);
  const scopes = input.scopes ?? result.scopes;
  const resource = resourceParameter(result);
  const parameters: Record<string, string> = {
    ...extraAuthorizationParameters(result.hints),
    redirect_uri: input.redirectUri,
    response_type: 'code',
    code_challenge: input.codeChallenge,
    code_challenge_method: 'S256',
  };
  if (input.state !== undefined) parameters.state = input.state;
  if (scopes !== undefined && scopes.length > 0) parameters.scope = scopes.join(' ');
  if (resource !== undefined) parameters.resource = resource;
  return parameters;
}

/**
 * Extra token endpoint parameters for the code exchange and refresh (`authorizationCodeGrant`,
 * `refreshTokenGrant`): the same `resource` as the authorization request, unless a hint omits it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export function tokenParameters(result: DiscoveryResult): Record<string, string> {
  const resource = resourceParameter(result);
  return resource === undefined ? {} : { resource };
}
