import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import type { ClientAuth } from 'openid-client';
import { bindTokens } from '../dpop/bind.js';
import { engineConfiguration, grantRequest } from '../engine/index.js';
import type { FlowContext } from '../flow.js';
import { storeKey } from '../store/binding.js';
import type { IssuerBinding, StoredTokens } from '../store/types.js';
import { checkCredentialBinding } from './binding.js';
import { assertGrantCredentials, clientAuthFor } from './client-auth.js';
import type { GrantRunner } from './client-credentials.js';
import type { GrantClient, JwtBearerGrantOptions } from './options.js';
import { assertTokenSource, readToken } from './workload-token.js';

/** The grant type of RFC 7523 §2.1. */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The client id a grant presents itself with, for messages. */
const clientName = (client: GrantClient): string => client.clientId ?? 'workload';

/**
 * The RFC 7523 JWT-bearer grant at the authorization server our discovery found: `assertion` the
 * given JWT, the RFC 8707 `resource` unless a hint omits it, the scope, the client's authentication
 * (a secret, `private_key_jwt`, or its id alone). The assertion, like any credential, goes only to
 * the verified issuer it is bound to. The tokens are stored under the result's store key.
 *
 * @param pin - the issuer binding the session first sent credentials to (see `checkCredentialBinding`);
 *   set here before the request.
 * @throws {DiscoveryError} `ISSUER_MISMATCH`, `INVALID_METADATA` (no token endpoint),
 *   `TOKEN_REQUEST_FAILED` (the server's `error`: `invalid_grant`, `invalid_scope`,
 *   `unauthorized_client`, …), or the transport's code.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export async function jwtBearerGrant(
  ctx: FlowContext,
  client: GrantClient & { readonly issuer?: string | undefined },
  assertion: string,
  scope: string | undefined,
  pin: { binding?: IssuerBinding | undefined },
  name = 'jwt-bearer',
): Promise<StoredTokens> {
  const { result } = ctx;
  const server = result.authorizationServer;
  const tokenEndpoint = server.metadata.token_endpoint;
  if (tokenEndpoint === undefined) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_METADATA,
      `Authorization server ${server.issuer} publishes no token_endpoint; cannot run the ${name} grant`,
      { url: server.issuer, expected: 'token_endpoint (RFC 8414 §2)', actual: undefined },
    );
  }
  pin.binding = checkCredentialBinding(
    { clientId: clientName(client), issuer: client.issuer },
    result,
    pin.binding,
  );
  // Without a client id the workload is known by its token alone (RFC 7523 §3.1): nothing else is
  // sent, and the configuration's client id is a placeholder that never leaves this process.
  const auth =
    client.clientId === undefined
      ? noClientAuthentication
      : (await clientAuthFor(client, server.issuer, server.metadata.token_endpoint_auth_methods_supported))
          .auth;
  // The engine's token request: the RFC 8707 resource (unless hinted away), the DPoP option,
  // TOKEN_REQUEST_FAILED with the OAuth error, the token type and expires_in rules.
  const key = await ctx.dpop?.keyForGrant(result);
  const configuration = engineConfiguration(
    result,
    { clientId: client.clientId ?? 'workload', clientAuth: auth },
    ctx,
  );
  const tokens = await grantRequest(
    configuration,
    result,
    JWT_BEARER_GRANT_TYPE,
    scope === undefined ? { assertion } : { assertion, scope },
    { dpop: key && ctx.dpop?.handle(configuration, key), requestedScope: scope },
  );
  const bound = bindTokens(tokens, key, tokenEndpoint);
  await ctx.store.writeTokens(storeKey(result), bound);
  return bound;
}

const noClientAuthentication: ClientAuth = () => {};

/**
 * Workload identity federation (SEP-1933): on every run the workload's token is read again from its
 * source and presented in the JWT-bearer grant ({@link jwtBearerGrant}). A refusal is final — no
 * retry, no other grant.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 */
export function createJwtBearerRunner(grant: JwtBearerGrantOptions): GrantRunner {
  const pin: { binding?: IssuerBinding } = {};
  return {
    async run(ctx, scope) {
      const assertion = await readToken(grant.assertion, 'workload token');
      return jwtBearerGrant(ctx, grant, assertion, scope, pin);
    },
  };
}

/** A jwt-bearer grant's options are usable: a token source; a client id with at most one credential, or none at all. */
export function assertJwtBearerOptions(grant: JwtBearerGrantOptions): void {
  if (grant.clientId !== undefined || grant.clientSecret !== undefined || grant.privateKey !== undefined) {
    assertGrantCredentials(grant, 'jwt-bearer', true);
  }
  assertTokenSource(grant.assertion, 'jwt-bearer', 'assertion');
}
