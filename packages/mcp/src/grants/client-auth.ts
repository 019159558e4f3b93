import { DiscoveryError, type DiscoveryResult, ErrorCodes } from '@oauth-discovery/core';
import { type ClientAuth, ClientSecretPost, None, PrivateKeyJwt } from 'openid-client';
import { basicCredentials, selectTokenEndpointAuthMethod } from '../engine/index.js';
import { FlowErrorCodes } from '../error-codes.js';
import type { ClientCredentialsGrantOptions, GrantClient } from './options.js';
import { importAssertionKey } from './private-key.js';

/** How a machine client authenticates at the token endpoint, and its openid-client implementation. */
export interface GrantClientAuth {
  readonly method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
  readonly auth: ClientAuth;
}

const present = (value: string | undefined): boolean => value !== undefined && value !== '';

/**
 * A client id and exactly one of a secret and a private key — or, where `publicClient` allows it,
 * neither (a public client) but never both.
 */
export function assertGrantCredentials(
  grant: GrantClient,
  grantName = 'client_credentials',
  publicClient = false,
): void {
  const hasSecret = present(grant.clientSecret);
  const hasKey = present(grant.privateKey);
  const credentialsOk = publicClient ? !(hasSecret && hasKey) : hasSecret !== hasKey;
  if (typeof grant.clientId !== 'string' || grant.clientId === '' || !credentialsOk) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      `The ${grantName} grant needs a client id and ${publicClient ? 'at most' : 'exactly'} one of a client secret and a private key`,
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
  const server = result.authorizationServer;
  return clientAuthFor(grant, server.issuer, server.metadata.token_endpoint_auth_methods_supported);
}

/**
 * {@link grantClientAuth} for any server: `server` names it in errors, `supported` is its
 * `token_endpoint_auth_methods_supported` (unknown: `undefined`). Without a secret or a key: `none`,
 * the client id in the body (a public client, RFC 6749 §2.3).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export async function clientAuthFor(
  grant: GrantClient,
  server: string,
  supported: readonly string[] | undefined,
): Promise<GrantClientAuth> {
  if (present(grant.privateKey)) {
    if (supported !== undefined && !supported.includes('private_key_jwt')) {
      throw new DiscoveryError(
        FlowErrorCodes.AUTHORIZATION_FAILED,
        `Authorization server ${server} does not accept private_key_jwt client authentication`,
        {
          url: server,
          expected: 'private_key_jwt in token_endpoint_auth_methods_supported',
          actual: supported,
        },
      );
    }
    const pem = grant.privateKey as string;
    const { key, kid } = await importAssertionKey(pem, grant.signingAlgorithm, grant.keyId);
    return {
      method: 'private_key_jwt',
      auth: PrivateKeyJwt(kid === undefined ? key : { key, kid }),
    };
  }
  if (!present(grant.clientSecret)) return { method: 'none', auth: None() };
  const secret = grant.clientSecret as string;
  const method = selectTokenEndpointAuthMethod({ clientSecret: secret }, supported);
  return method === 'client_secret_post'
    ? { method, auth: ClientSecretPost(secret) }
    : { method: 'client_secret_basic', auth: clientSecretBasic(grant.clientId ?? '', secret) };
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
