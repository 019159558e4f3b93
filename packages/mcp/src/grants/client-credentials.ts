import { DiscoveryError, type DiscoveryResult, ErrorCodes } from '@oauth-discovery/core';
import { safeText } from '@oauth-discovery/core/trace';
import { toOpenidClientConfiguration, unwrapDiscoveryError } from '@oauth-discovery/openid-client';
import { clientCredentialsGrant, ResponseBodyError } from 'openid-client';
import { FlowErrorCodes } from '../error-codes.js';
import type { FlowContext } from '../flow.js';
import { expiresAtFrom } from '../oauth/token.js';
import { resourceIndicator } from '../resource-indicator.js';
import { storeKey } from '../store/binding.js';
import type { IssuerBinding, StoredTokens } from '../store/types.js';
import { checkCredentialBinding } from './binding.js';
import { grantClientAuth } from './client-auth.js';
import type { ClientCredentialsGrantOptions } from './options.js';

/** Whether the grant runs for this authorization server (see `when`). */
export function grantApplies(grant: ClientCredentialsGrantOptions, result: DiscoveryResult): boolean {
  if ((grant.when ?? 'always') === 'always') return true;
  const types = result.authorizationServer.metadata.grant_types_supported;
  if (types === undefined) return false;
  return types.includes('client_credentials') && !types.includes('authorization_code');
}

function tokenRequestFailed(tokenEndpoint: string, error: unknown): DiscoveryError {
  const transport = unwrapDiscoveryError(error);
  if (transport !== undefined) return transport;
  if (error instanceof ResponseBodyError) {
    const description =
      error.error_description === undefined ? '' : ` (${safeText(error.error_description)})`;
    return new DiscoveryError(
      FlowErrorCodes.TOKEN_REQUEST_FAILED,
      `Token endpoint ${tokenEndpoint} refused the client_credentials request: ${safeText(error.error)}${description}, HTTP ${error.status}`,
      {
        url: tokenEndpoint,
        expected: 'a 2xx token response',
        actual: { status: error.status, error: error.error, errorDescription: error.error_description },
        cause: error,
      },
    );
  }
  return new DiscoveryError(
    FlowErrorCodes.TOKEN_REQUEST_FAILED,
    `The client_credentials request to ${tokenEndpoint} failed: ${error instanceof Error ? error.message : String(error)}`,
    { url: tokenEndpoint, expected: 'a token response (RFC 6749 §5.1)', actual: null, cause: error },
  );
}

/** Runs a machine client's grant for a session; keeps the issuer binding its credentials were first used with. */
export interface GrantRunner {
  run(ctx: FlowContext, scope: string | undefined): Promise<StoredTokens>;
}

/**
 * The client credentials grant on openid-client, fed by our discovery result (its `Configuration` is
 * built by `@oauth-discovery/openid-client` without a second issuer check) and bound by our rules: the
 * RFC 8707 `resource` unless a hint omits it, the session's scope, credentials sent only to the
 * issuer they belong to, tokens stored under the result's store key with the `expires_in` clamp.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export function createClientCredentialsRunner(grant: ClientCredentialsGrantOptions): GrantRunner {
  let pinned: IssuerBinding | undefined;
  return {
    async run(ctx, scope) {
      const { result } = ctx;
      const tokenEndpoint = result.authorizationServer.metadata.token_endpoint;
      if (tokenEndpoint === undefined) {
        throw new DiscoveryError(
          ErrorCodes.INVALID_METADATA,
          `Authorization server ${result.authorizationServer.issuer} publishes no token_endpoint; cannot run the client_credentials grant`,
          {
            url: result.authorizationServer.issuer,
            expected: 'token_endpoint (RFC 8414 §2)',
            actual: undefined,
          },
        );
      }
      const binding = checkCredentialBinding(grant, result, pinned);
      const { auth } = await grantClientAuth(grant, result);
      pinned = binding;
      const config = toOpenidClientConfiguration(
        result,
        { clientId: grant.clientId, clientAuth: auth },
        { http: ctx.http, init: ctx.init },
      );
      const parameters: Record<string, string> = {};
      const resource = resourceIndicator(result);
      if (resource !== undefined) parameters.resource = resource;
      if (scope !== undefined) parameters.scope = scope;
      const now = Date.now();
      let response: Awaited<ReturnType<typeof clientCredentialsGrant>>;
      try {
        response = await clientCredentialsGrant(config, parameters);
      } catch (error) {
        throw tokenRequestFailed(tokenEndpoint, error);
      }
      if (response.token_type.toLowerCase() !== 'bearer') {
        throw new DiscoveryError(
          FlowErrorCodes.TOKEN_REQUEST_FAILED,
          `Token endpoint ${tokenEndpoint} issued a ${safeText(response.token_type)} token; this client only uses Bearer tokens (RFC 6750)`,
          { url: tokenEndpoint, expected: 'token_type Bearer', actual: response.token_type },
        );
      }
      const expiresAt = expiresAtFrom(response.expires_in, now);
      const granted = typeof response.scope === 'string' ? response.scope : scope;
      const tokens: StoredTokens = {
        accessToken: response.access_token,
        tokenType: 'Bearer',
        obtainedAt: now,
        ...(expiresAt === undefined ? {} : { expiresAt }),
        ...(granted === undefined ? {} : { scope: granted }),
      };
      await ctx.store.writeTokens(storeKey(result), tokens);
      return tokens;
    },
  };
}
