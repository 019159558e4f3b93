import { createHash, randomBytes } from 'node:crypto';
import type { IssuedToken, RegisteredClient } from './types.js';

/** A code issued by `/authorize`, waiting for the token request. */
export interface AuthorizationCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string | undefined;
  readonly scopes: readonly string[];
  readonly resource: string | undefined;
  readonly subject: string;
  readonly expiresAt: number;
  used: boolean;
}

interface RefreshGrant {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly resource: string | undefined;
  readonly subject: string;
}

/** Everything the authorization server has issued. */
export interface TokenState {
  readonly codes: Map<string, AuthorizationCode>;
  readonly accessTokens: Map<string, IssuedToken>;
  readonly refreshTokens: Map<string, RefreshGrant>;
  readonly issued: IssuedToken[];
  readonly resourcesSeen: string[];
}

/** Token endpoint behaviour. */
export interface TokenSettings {
  readonly accessTokenTtlSeconds: number;
  readonly rotateRefreshTokens: boolean;
  readonly failRefresh: () => boolean;
  readonly tokenError:
    | { readonly error: string; readonly status?: number; readonly description?: string }
    | undefined;
  readonly resources: readonly string[] | undefined;
}

/** A token endpoint answer (sent as JSON with `Cache-Control: no-store`). */
export interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** A new, empty token state. */
export function createTokenState(): TokenState {
  return {
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    issued: [],
    resourcesSeen: [],
  };
}

/** An opaque random token with a readable prefix. */
export function opaque(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

/**
 * `base64url(sha256(verifier))`, the S256 code challenge of a verifier.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/**
 * `undefined` when `resource` is acceptable, else why not (`invalid_target`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export function resourceProblem(
  resource: string,
  allowed: readonly string[] | undefined,
): string | undefined {
  if (!URL.canParse(resource) || resource.includes('#'))
    return `resource must be an absolute URI without fragment`;
  if (allowed && !allowed.includes(resource)) return `unknown resource ${resource}`;
  return undefined;
}

const error = (status: number, code: string, description: string): TokenAnswer => ({
  status,
  body: { error: code, error_description: description },
});

function issue(
  state: TokenState,
  settings: TokenSettings,
  grant: RefreshGrant,
  refreshToken: string | undefined,
): TokenAnswer {
  const token = opaque('at');
  const issued: IssuedToken = {
    token,
    subject: grant.subject,
    scopes: grant.scopes,
    expiresAt: Math.floor(Date.now() / 1000) + settings.accessTokenTtlSeconds,
    clientId: grant.clientId,
    resource: grant.resource,
    audience: grant.resource === undefined ? undefined : [grant.resource],
  };
  state.accessTokens.set(token, issued);
  state.issued.push(issued);
  const refresh = refreshToken ?? opaque('rt');
  state.refreshTokens.set(refresh, grant);
  return {
    status: 200,
    body: {
      access_token: token,
      token_type: 'Bearer',
      expires_in: settings.accessTokenTtlSeconds,
      refresh_token: refresh,
      ...(grant.scopes.length > 0 ? { scope: grant.scopes.join(' ') } : {}),
    },
  };
}

function authorizationCodeGrant(
  state: TokenState,
  settings: TokenSettings,
  client: RegisteredClient,
  form: URLSearchParams,
): TokenAnswer {
  const code = form.get('code') ?? '';
  const stored = state.codes.get(code);
  if (!stored || stored.used || stored.expiresAt <= Date.now() || stored.clientId !== client.client_id) {
    return error(
      400,
      'invalid_grant',
      'authorization code is unknown, used, expired or issued to another client',
    );
  }
  stored.used = true;
  if (form.get('redirect_uri') !== stored.redirectUri) {
    return error(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
  }
  const verifier = form.get('code_verifier');
  if (stored.codeChallenge !== undefined || verifier !== null) {
    if (verifier === null) return error(400, 'invalid_grant', 'code_verifier is required (PKCE)');
    if (s256(verifier) !== stored.codeChallenge)
      return error(400, 'invalid_grant', 'PKCE verification failed');
  }
  const resource = form.get('resource') ?? undefined;
  if (resource !== undefined) {
    state.resourcesSeen.push(resource);
    const problem = resourceProblem(resource, settings.resources);
    if (problem) return error(400, 'invalid_target', problem);
    if (stored.resource !== undefined && resource !== stored.resource) {
      return error(
        400,
        'invalid_target',
        `resource ${resource} differs from the authorized ${stored.resource}`,
      );
    }
  }
  return issue(
    state,
    settings,
    {
      clientId: client.client_id,
      scopes: stored.scopes,
      resource: resource ?? stored.resource,
      subject: stored.subject,
    },
    undefined,
  );
}

function refreshTokenGrant(
  state: TokenState,
  settings: TokenSettings,
  client: RegisteredClient,
  form: URLSearchParams,
): TokenAnswer {
  const refreshToken = form.get('refresh_token') ?? '';
  const grant = state.refreshTokens.get(refreshToken);
  if (settings.failRefresh())
    return error(400, 'invalid_grant', 'refresh token revoked (failRefresh switch)');
  if (!grant || grant.clientId !== client.client_id) {
    return error(400, 'invalid_grant', 'refresh token is unknown, rotated away or issued to another client');
  }
  const resource = form.get('resource') ?? undefined;
  if (resource !== undefined) {
    state.resourcesSeen.push(resource);
    const problem = resourceProblem(resource, settings.resources);
    if (problem) return error(400, 'invalid_target', problem);
    if (grant.resource !== undefined && resource !== grant.resource) {
      return error(400, 'invalid_target', `resource ${resource} differs from the granted ${grant.resource}`);
    }
  }
  if (settings.rotateRefreshTokens) state.refreshTokens.delete(refreshToken);
  return issue(state, settings, grant, settings.rotateRefreshTokens ? undefined : refreshToken);
}

/**
 * The token endpoint after client authentication: `authorization_code` (with PKCE S256 verification)
 * and `refresh_token` (with rotation), errors per RFC 6749 §5.2.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function handleTokenRequest(
  state: TokenState,
  settings: TokenSettings,
  client: RegisteredClient,
  form: URLSearchParams,
): TokenAnswer {
  if (settings.tokenError) {
    const forced = settings.tokenError;
    return error(
      forced.status ?? 400,
      forced.error,
      forced.description ?? 'forced by the testkit (tokenError)',
    );
  }
  const grantType = form.get('grant_type');
  if (grantType === null) return error(400, 'invalid_request', 'grant_type is required');
  if (client.grant_types && !client.grant_types.includes(grantType)) {
    return error(400, 'unauthorized_client', `client may not use grant_type ${grantType}`);
  }
  if (grantType === 'authorization_code') return authorizationCodeGrant(state, settings, client, form);
  if (grantType === 'refresh_token') return refreshTokenGrant(state, settings, client, form);
  return error(400, 'unsupported_grant_type', `grant_type ${grantType} is not supported`);
}
