import type { DiscoveryResult } from '@oauth-discovery/core';
import { safeText } from '@oauth-discovery/core/trace';
import { issuerBinding, storeKey } from '@oauth-discovery/mcp';
import { tokenRevocation } from 'openid-client';
import type { ClientResolver } from './clients.js';
import type { Logger } from './log.js';
import type { UserTokenStore } from './user-store.js';

/**
 * Revokes a user's tokens of one upstream at its authorization server (RFC 7009) when the server
 * advertises a `revocation_endpoint`: the refresh token first (servers revoke the grant with it),
 * then the access token. Best effort: a refusal or an unreachable server is logged, and the caller
 * deletes the tokens locally either way.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export async function revokeTokens(
  result: DiscoveryResult,
  store: UserTokenStore,
  clients: ClientResolver,
  log: Logger,
): Promise<'revoked' | 'not-advertised' | 'nothing-stored' | 'failed'> {
  const endpoint = result.authorizationServer.metadata.revocation_endpoint;
  if (typeof endpoint !== 'string') return 'not-advertised';
  const tokens = await store.readTokens(storeKey(result));
  const client = await store.readClient(issuerBinding(result.authorizationServer));
  if (tokens === undefined || client === undefined) return 'nothing-stored';
  const configuration = clients.configurationFor(result, client);
  try {
    if (tokens.refreshToken !== undefined)
      await tokenRevocation(configuration, tokens.refreshToken, { token_type_hint: 'refresh_token' });
    await tokenRevocation(configuration, tokens.accessToken, { token_type_hint: 'access_token' });
    return 'revoked';
  } catch (error) {
    log({
      level: 'warn',
      event: 'revocation-failed',
      issuer: result.authorizationServer.issuer,
      error: safeText(error instanceof Error ? error.message : String(error)),
      message: 'token revocation at logout failed; the tokens are deleted locally anyway',
    });
    return 'failed';
  }
}
