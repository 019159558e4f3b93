import {
  DiscoveryError,
  type DiscoveryResult,
  ErrorCodes,
  type HttpClient,
  type HttpRequestInit,
} from '@oauth-discovery/core';
import {
  allowInsecureRequests,
  type ClientAuth,
  ClientSecretBasic,
  ClientSecretPost,
  Configuration,
  customFetch,
  None,
  type ServerMetadata,
} from 'openid-client';
import { httpClientFetch } from './custom-fetch.js';
import { insecureLoopbackEndpoints, LOOPBACK_HTTP_RELAXATION } from './insecure-loopback.js';

/** The client registered with the authorization server. */
export interface OpenidClientCredentials {
  readonly clientId: string;
  /** Secret of a confidential client; absent for a public client. */
  readonly clientSecret?: string | undefined;
  /**
   * How the client authenticates at the token endpoint. A function is used as is (openid-client's
   * `ClientAuth`); a name picks openid-client's implementation. Default: `client_secret_basic` with a
   * secret, `none` without one.
   */
  readonly clientAuth?: ClientAuth | 'none' | 'client_secret_basic' | 'client_secret_post' | undefined;
}

/** Options of {@link toOpenidClientConfiguration}. */
export interface ToConfigurationOptions {
  /**
   * Accept plain `http:` endpoints when they are on loopback hosts, by calling openid-client's
   * `allowInsecureRequests` on the configuration. Weakens security (no TLS); only ever applied to
   * loopback endpoints. Default true; `false` makes any `http:` endpoint an `INSECURE_URL` error.
   */
  readonly allowInsecureLoopback?: boolean | undefined;
  /**
   * Send openid-client's requests (token, refresh, registration, …) through this client, so our SSRF
   * guard, timeouts and body cap apply to them. Default: openid-client's own `fetch`.
   */
  readonly http?: HttpClient | undefined;
  /** Per-request options for `http` (e.g. `allowAddressRanges: ['loopback']` for a local server). */
  readonly init?: HttpRequestInit | undefined;
  /** openid-client's per-request timeout, in seconds. Default openid-client's (30). */
  readonly timeoutSeconds?: number | undefined;
  /** Told the name of each security relaxation applied (see {@link LOOPBACK_HTTP_RELAXATION}). */
  readonly onRelaxation?: ((relaxation: string) => void) | undefined;
}

function clientAuthentication(client: OpenidClientCredentials): ClientAuth {
  const auth = client.clientAuth;
  if (typeof auth === 'function') return auth;
  const method = auth ?? (client.clientSecret ? 'client_secret_basic' : 'none');
  if (method === 'none') return None();
  if (!client.clientSecret) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      `clientAuth ${method} needs a clientSecret for client ${client.clientId}`,
      { expected: 'a non-empty clientSecret', actual: client.clientSecret ?? null },
    );
  }
  return method === 'client_secret_post'
    ? ClientSecretPost(client.clientSecret)
    : ClientSecretBasic(client.clientSecret);
}

/**
 * The server metadata handed to openid-client: the discovered document, plus `S256` in
 * `code_challenge_methods_supported` when a preset or static configuration says the provider supports
 * it without advertising it (so `serverMetadata().supportsPKCE()` tells the truth).
 */
function serverMetadata(result: DiscoveryResult): ServerMetadata {
  const metadata = result.authorizationServer.metadata as ServerMetadata;
  const methods = metadata.code_challenge_methods_supported;
  if (!result.pkce.s256Usable || methods?.includes('S256')) return { ...metadata };
  return { ...metadata, code_challenge_methods_supported: [...(methods ?? []), 'S256'] };
}

/**
 * Turns a discovery result into an openid-client `Configuration`: the accepted authorization server
 * metadata (already checked by discovery: issuer per RFC 8414 §3.3 or a traced exception) and your
 * client. Plain `http:` endpoints are accepted only on loopback hosts, by openid-client's
 * `allowInsecureRequests` — reported through `onRelaxation` as {@link LOOPBACK_HTTP_RELAXATION}.
 *
 * The result's hints are not part of a `Configuration`: build the request parameters with
 * {@link authorizationParameters} and {@link tokenParameters}, which respect them.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` (empty client id, secret-based auth without a secret),
 *   `INSECURE_URL` (an `http:` endpoint that is not loopback), `INVALID_URL`.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function toOpenidClientConfiguration(
  result: DiscoveryResult,
  client: OpenidClientCredentials,
  options: ToConfigurationOptions = {},
): Configuration {
  if (typeof client.clientId !== 'string' || client.clientId === '') {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      `A client id is required to build an openid-client Configuration for ${result.authorizationServer.issuer}`,
      { url: result.authorizationServer.issuer, expected: 'a non-empty clientId', actual: client.clientId },
    );
  }
  const insecure = insecureLoopbackEndpoints(
    result.authorizationServer.metadata,
    options.allowInsecureLoopback ?? true,
  );
  const config = new Configuration(
    serverMetadata(result),
    client.clientId,
    client.clientSecret ? { client_secret: client.clientSecret } : undefined,
    clientAuthentication(client),
  );
  if (insecure.length > 0) {
    allowInsecureRequests(config);
    options.onRelaxation?.(LOOPBACK_HTTP_RELAXATION);
  }
  if (options.http) config[customFetch] = httpClientFetch(options.http, options.init);
  if (options.timeoutSeconds !== undefined) config.timeout = options.timeoutSeconds;
  return config;
}
