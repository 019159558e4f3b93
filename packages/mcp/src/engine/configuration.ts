import {
  DiscoveryError,
  type DiscoveryResult,
  ErrorCodes,
  type HttpClient,
  type HttpRequestInit,
} from '@oauth-discovery/core';
import { toOpenidClientConfiguration } from '@oauth-discovery/openid-client';
import { type ClientAuth, type Configuration, customFetch } from 'openid-client';
import { type ClientAuthSettings, clientAuthFor } from './client-auth.js';
import { lenientExpiresIn } from './lenient-expires-in.js';

/** How the engine reaches the authorization server. */
export interface EngineTransport {
  /** Every engine request goes through this client: its SSRF guard, timeouts and body cap apply. */
  readonly http: HttpClient;
  /** Per-request options (e.g. `allowAddressRanges` of a local resource). */
  readonly init?: HttpRequestInit | undefined;
  /** Told the name of each security relaxation applied (loopback `http:` endpoints). */
  readonly onRelaxation?: ((relaxation: string) => void) | undefined;
}

/** The client of one engine configuration: a stored registration, or a machine client's own authentication. */
export interface EngineClient extends ClientAuthSettings {
  /** A client authentication of its own (e.g. `private_key_jwt`); default: chosen by `clientAuthFor`. */
  readonly clientAuth?: ClientAuth | undefined;
}

/**
 * The endpoint a flow step needs, or `INVALID_METADATA` naming the server that does not publish it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function requireEndpoint(
  result: DiscoveryResult,
  field: 'authorization_endpoint' | 'token_endpoint',
): string {
  const value = result.authorizationServer.metadata[field];
  if (value === undefined) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_METADATA,
      `Authorization server ${result.authorizationServer.issuer} publishes no ${field}; cannot run the OAuth flow`,
      {
        url: result.authorizationServer.metadataUrl ?? result.authorizationServer.issuer,
        expected: field,
        actual: undefined,
      },
    );
  }
  return value;
}

/**
 * The openid-client `Configuration` every engine step runs on, built from our discovery result by
 * `@oauth-discovery/openid-client` — never from openid-client's own discovery, whose strict issuer
 * check would refuse an issuer our pipeline accepted for a traced reason (Atlassian's adopted one).
 * Requests go through our HTTP client; a token answer's unusable `expires_in` is tolerated
 * ({@link lenientExpiresIn}).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function engineConfiguration(
  result: DiscoveryResult,
  client: EngineClient,
  transport: EngineTransport,
): Configuration {
  const { metadata } = result.authorizationServer;
  const configuration = toOpenidClientConfiguration(
    result,
    {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      clientAuth: client.clientAuth ?? clientAuthFor(client, metadata.token_endpoint_auth_methods_supported),
    },
    {
      http: transport.http,
      init: transport.init ?? {},
      onRelaxation: transport.onRelaxation ?? (() => undefined),
    },
  );
  const send = configuration[customFetch] ?? ((url, options) => fetch(url, options as RequestInit));
  configuration[customFetch] = lenientExpiresIn(send, metadata.token_endpoint);
  return configuration;
}
