import { DiscoveryError, type DiscoveryResult, ErrorCodes } from '@oauth-discovery/core';
import { bindTokens } from '../dpop/bind.js';
import { engineConfiguration, grantRequest } from '../engine/index.js';
import type { FlowContext } from '../flow.js';
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

/** Runs a machine client's grant for a session; keeps the issuer binding its credentials were first used with. */
export interface GrantRunner {
  run(ctx: FlowContext, scope: string | undefined): Promise<StoredTokens>;
}

/**
 * The client credentials grant on openid-client, fed by our discovery result (its `Configuration` is
 * built by `@oauth-discovery/openid-client` without a second issuer check) and bound by our rules: the
 * RFC 8707 `resource` unless a hint omits it, the session's scope, credentials sent only to the
 * issuer they belong to, tokens stored under the result's store key with the `expires_in` clamp.
 * With DPoP (the session's `dpop` option), the request carries a proof of the issuer's key
 * (openid-client retries once with the server's nonce on `use_dpop_nonce`) and the token must come
 * back DPoP-bound.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
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
      // The engine's token request: the RFC 8707 resource (unless hinted away), the DPoP option,
      // TOKEN_REQUEST_FAILED with the OAuth error, the expires_in clamp.
      const key = await ctx.dpop?.keyForGrant(result);
      const configuration = engineConfiguration(result, { clientId: grant.clientId, clientAuth: auth }, ctx);
      const tokens = await grantRequest(
        configuration,
        result,
        'client_credentials',
        scope === undefined ? {} : { scope },
        { dpop: key && ctx.dpop?.handle(configuration, key), requestedScope: scope },
      );
      const bound = bindTokens(tokens, key, tokenEndpoint);
      await ctx.store.writeTokens(storeKey(result), bound);
      return bound;
    },
  };
}
