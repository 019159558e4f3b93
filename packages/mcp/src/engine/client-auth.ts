import { type ClientAuth, ClientSecretPost, None } from 'openid-client';

/** Client authentication methods at the token endpoint this client can use with a stored registration. */
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

const KNOWN_METHODS: readonly string[] = ['client_secret_basic', 'client_secret_post', 'none'];

/** What the choice of a client authentication method looks at in a registration. */
export interface ClientAuthSettings {
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
  /** The registered `token_endpoint_auth_method` (RFC 7591 §2), if any. */
  readonly tokenEndpointAuthMethod?: string | undefined;
}

/**
 * Picks the token endpoint authentication method the server and the registration agree on: the
 * method the registration names when the server supports it; else, for a client with a secret,
 * `client_secret_basic` then `client_secret_post` as supported; else `none` (public client). An
 * absent `token_endpoint_auth_methods_supported` means `client_secret_basic` (RFC 8414 §2).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export function selectTokenEndpointAuthMethod(
  client: Omit<ClientAuthSettings, 'clientId'>,
  supported: readonly string[] | undefined,
): TokenEndpointAuthMethod {
  const serverMethods = supported ?? ['client_secret_basic'];
  const registered = client.tokenEndpointAuthMethod;
  const hasSecret = client.clientSecret !== undefined && client.clientSecret !== '';
  if (
    registered !== undefined &&
    KNOWN_METHODS.includes(registered) &&
    (registered === 'none' || hasSecret) &&
    (supported === undefined || supported.includes(registered))
  ) {
    return registered as TokenEndpointAuthMethod;
  }
  if (!hasSecret) return 'none';
  if (serverMethods.includes('client_secret_basic')) return 'client_secret_basic';
  if (serverMethods.includes('client_secret_post')) return 'client_secret_post';
  return 'client_secret_basic';
}

/**
 * The HTTP Basic credentials of a client: id and secret form-urlencoded (RFC 6749 Appendix B, as
 * `URLSearchParams` does it), joined by `:`, base64.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function basicCredentials(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
}

/** The form-urlencoding of RFC 6749 Appendix B, used for the Basic credentials. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/**
 * `client_secret_basic` with the form-urlencoding of {@link basicCredentials} (`URLSearchParams`'s,
 * which leaves `-._*` as they are): openid-client's own also escapes those, which servers that do not
 * decode the credentials (RFC 6749 §2.3.1 says they must) refuse.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function clientSecretBasic(clientId: string, clientSecret: string): ClientAuth {
  return (_as, _client, _body, headers) => {
    headers.set('authorization', basicCredentials(clientId, clientSecret));
  };
}

/**
 * openid-client's client authentication for a stored registration at an authorization server that
 * lists `supported` methods ({@link selectTokenEndpointAuthMethod}).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function clientAuthFor(
  client: ClientAuthSettings,
  supported: readonly string[] | undefined,
): ClientAuth {
  const method = selectTokenEndpointAuthMethod(client, supported);
  const secret = client.clientSecret ?? '';
  if (method === 'client_secret_basic') return clientSecretBasic(client.clientId, secret);
  return method === 'client_secret_post' ? ClientSecretPost(secret) : None();
}
