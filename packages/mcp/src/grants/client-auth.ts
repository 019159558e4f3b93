import { DiscoveryError, type DiscoveryResult, ErrorCodes } from '@oauth-discovery/core';
import { type ClientAuth, ClientSecretPost, PrivateKeyJwt } from 'openid-client';
import { FlowErrorCodes } from '../error-codes.js';
import { basicCredentials, selectTokenEndpointAuthMethod } from '../oauth/token.js';
import type { ClientCredentialsGrantOptions } from './options.js';
import { importAssertionKey } from './private-key.js';

/** How a machine client authenticates at the token endpoint, and its openid-client implementation. */
export interface GrantClientAuth {
  readonly method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  readonly auth: ClientAuth;
}

/** Exactly one of a secret and a private key, and a client id. */
export function assertGrantCredentials(grant: ClientCredentialsGrantOptions): void {
  const hasSecret = grant.clientSecret !== undefined && grant.clientSecret !== '';
  const hasKey = grant.privateKey !== undefined && grant.privateKey !== '';
  if (typeof grant.clientId !== 'string' || grant.clientId === '' || hasSecret === hasKey) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      'The client_credentials grant needs a client id and exactly one of a client secret and a private key',
      {
        expected: 'clientId and one of clientSecret, privateKey',
        actual: { clientId: grant.clientId ?? null, clientSecret: hasSecret, privateKey: hasKey },
      },
    );
  }
}

/**
 * The client authentication of a machine client: `private_key_jwt` with a private key (refused when
 * the server lists its methods without it), else the secret by `client_secret_basic` or
 * `client_secret_post`, chosen from `token_endpoint_auth_methods_supported` (basic first).
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` (credentials, key), `AUTHORIZATION_FAILED` (the server
 *   does not accept `private_key_jwt`).
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export async function grantClientAuth(
  grant: ClientCredentialsGrantOptions,
  result: DiscoveryResult,
): Promise<GrantClientAuth> {
  assertGrantCredentials(grant);
  const supported = result.authorizationServer.metadata.token_endpoint_auth_methods_supported;
  if (grant.privateKey !== undefined && grant.privateKey !== '') {
    if (supported !== undefined && !supported.includes('private_key_jwt')) {
      throw new DiscoveryError(
        FlowErrorCodes.AUTHORIZATION_FAILED,
        `Authorization server ${result.authorizationServer.issuer} does not accept private_key_jwt client authentication`,
        {
          url: result.authorizationServer.issuer,
          expected: 'private_key_jwt in token_endpoint_auth_methods_supported',
          actual: supported,
        },
      );
    }
    const { key, kid } = await importAssertionKey(grant.privateKey, grant.signingAlgorithm, grant.keyId);
    return {
      method: 'private_key_jwt',
      auth: PrivateKeyJwt(kid === undefined ? key : { key, kid }),
    };
  }
  const secret = grant.clientSecret as string;
  const method = selectTokenEndpointAuthMethod({ clientSecret: secret }, supported);
  return method === 'client_secret_post'
    ? { method, auth: ClientSecretPost(secret) }
    : { method: 'client_secret_basic', auth: clientSecretBasic(grant.clientId, secret) };
}

/**
 * `client_secret_basic` with the form-urlencoding this package uses everywhere (`URLSearchParams`'s,
 * which leaves `-._*` as they are): openid-client's own also escapes those, which servers that do not
 * decode the credentials (RFC 6749 §2.3.1 says they must) refuse.
 */
function clientSecretBasic(clientId: string, secret: string): ClientAuth {
  return (_as, _client, _body, headers) => {
    headers.set('authorization', basicCredentials(clientId, secret));
  };
}
