import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { safeText } from '@oauth-discovery/core/trace';
import { httpClientFetch, insecureLoopbackEndpoints } from '@oauth-discovery/openid-client';
import { allowInsecureRequests, Configuration, customFetch } from 'openid-client';
import { rawGrantRequest } from '../engine/index.js';
import { FlowErrorCodes } from '../error-codes.js';
import type { FlowContext } from '../flow.js';
import { resourceIndicator } from '../resource-indicator.js';
import type { IssuerBinding } from '../store/types.js';
import { checkCredentialBinding } from './binding.js';
import { assertGrantCredentials, clientAuthFor } from './client-auth.js';
import type { GrantRunner } from './client-credentials.js';
import { jwtBearerGrant } from './jwt-bearer.js';
import type { EnterpriseIdpOptions, TokenExchangeGrantOptions } from './options.js';
import { assertTokenSource, readToken } from './workload-token.js';

/** The grant type of RFC 8693 §2.1. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** The token type of an OpenID Connect ID token (RFC 8693 §3). */
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
/** The token type of an Identity Assertion JWT Authorization Grant (ID-JAG, SEP-990). */
export const ID_JAG_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id-jag';

/** What an ID-JAG is requested for. */
export interface IdJagRequest {
  /** The issuer of the MCP server's authorization server, where the ID-JAG is presented. */
  readonly audience: string;
  /** The MCP server (RFC 8707 resource). */
  readonly resource: string;
  readonly scope?: string | undefined;
}

/**
 * Exchanges the user's ID token at the enterprise IdP for an ID-JAG: an RFC 8693 token exchange with
 * `requested_token_type` ID-JAG, `subject_token_type` ID token, `audience` the MCP server's
 * authorization server and `resource` the MCP server; the client authenticates as registered at the
 * IdP (a secret, `private_key_jwt`, or its id alone). The answer must say it issued an ID-JAG.
 *
 * @returns the ID-JAG (a JWT the IdP signed).
 * @throws {DiscoveryError} `TOKEN_REQUEST_FAILED` (the IdP's `error`, or an answer that is not an
 *   ID-JAG), `INSECURE_URL` (an `http:` endpoint that is not loopback), or the transport's code.
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.2.1
 */
export async function requestIdJag(
  ctx: Pick<FlowContext, 'http' | 'init'>,
  idp: EnterpriseIdpOptions,
  idToken: string,
  request: IdJagRequest,
): Promise<string> {
  const endpoint = idp.tokenEndpoint;
  const metadata = { issuer: idp.issuer ?? new URL(endpoint).origin, token_endpoint: endpoint };
  const insecure = insecureLoopbackEndpoints(metadata, true);
  const { auth } = await clientAuthFor(idp, metadata.issuer, undefined);
  const config = new Configuration(metadata, idp.clientId ?? '', undefined, auth);
  if (insecure.length > 0) allowInsecureRequests(config);
  config[customFetch] = httpClientFetch(ctx.http, ctx.init);
  const response = await rawGrantRequest(config, TOKEN_EXCHANGE_GRANT_TYPE, {
    requested_token_type: ID_JAG_TOKEN_TYPE,
    subject_token: idToken,
    subject_token_type: ID_TOKEN_TYPE,
    audience: request.audience,
    resource: request.resource,
    scope: request.scope,
  });
  const issued = (response as { issued_token_type?: unknown }).issued_token_type;
  if (issued !== ID_JAG_TOKEN_TYPE) {
    throw new DiscoveryError(
      FlowErrorCodes.TOKEN_REQUEST_FAILED,
      `The IdP's token endpoint ${endpoint} did not issue an ID-JAG (issued_token_type ${safeText(String(issued))})`,
      { url: endpoint, expected: `issued_token_type ${ID_JAG_TOKEN_TYPE}`, actual: issued ?? null },
    );
  }
  return response.access_token;
}

/**
 * Enterprise-managed authorization (SEP-990): on every run the user's ID token is read again from
 * its source, exchanged at the IdP for an ID-JAG ({@link requestIdJag}) for the authorization server
 * discovery found — which must be verified, and the one this client's credentials belong to, before
 * the IdP is asked — and the ID-JAG is presented there in the JWT-bearer grant. A refusal at either
 * step is final.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 */
export function createTokenExchangeRunner(grant: TokenExchangeGrantOptions): GrantRunner {
  const pin: { binding?: IssuerBinding } = {};
  return {
    async run(ctx, scope) {
      const { result } = ctx;
      checkCredentialBinding(grant, result, pin.binding);
      const idToken = await readToken(grant.idToken, 'ID token');
      const idJag = await requestIdJag(ctx, grant.idp, idToken, {
        audience: result.authorizationServer.issuer,
        resource: resourceIndicator(result) ?? result.resource,
        scope,
      });
      return jwtBearerGrant(ctx, grant, idJag, scope, pin, 'jwt-bearer (ID-JAG)');
    },
  };
}

/** A token-exchange grant's options are usable: the client here and at the IdP, an ID token source. */
export function assertTokenExchangeOptions(grant: TokenExchangeGrantOptions): void {
  assertGrantCredentials(grant, 'token-exchange', true);
  const idp = grant.idp as EnterpriseIdpOptions | undefined;
  if (typeof idp?.tokenEndpoint !== 'string' || !URL.canParse(idp.tokenEndpoint)) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      "The token-exchange grant needs the IdP's token endpoint (idp.tokenEndpoint, an absolute URL)",
      { expected: 'idp.tokenEndpoint', actual: idp?.tokenEndpoint ?? null },
    );
  }
  assertGrantCredentials(idp, 'token-exchange (at the IdP)', true);
  assertTokenSource(grant.idToken, 'token-exchange', 'idToken');
}
