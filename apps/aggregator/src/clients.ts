import {
  type DiscoveryResult,
  type HttpClient,
  type HttpRequestInit,
  resourceAddressRanges,
} from '@oauth-discovery/core';
import {
  bindingScope,
  engineConfiguration,
  issuerBinding,
  resolveClient,
  type StoredClient,
  type TokenStore,
} from '@oauth-discovery/mcp';
import type { Configuration } from 'openid-client';

/** The client side of one upstream's OAuth: what the operator configured for it. */
export interface UpstreamClientSettings {
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
}

/** A client registration with an authorization server, ready for openid-client. */
export interface ResolvedOAuthClient {
  readonly client: StoredClient;
  readonly configuration: Configuration;
}

/** What {@link createClientResolver} needs. */
export interface ClientResolverOptions {
  readonly store: TokenStore;
  readonly http: HttpClient;
  /** The aggregator's callback, `<publicUrl>/oauth/callback` — the same for every upstream. */
  readonly redirectUri: string;
  readonly clientName: string;
  /** Told each security relaxation the conversion applies (loopback `http:` endpoints). */
  readonly onRelaxation?: (issuer: string, relaxation: string) => void;
}

/**
 * Per-request options for the token and registration requests of a resource: the non-public range the
 * resource itself is on (`localhost` names and IP literals, the rule discovery follows), so a local or
 * private MCP server can use an authorization server next to it. A DNS name proves nothing: none.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-7.7
 */
export function requestInitFor(resource: string): HttpRequestInit {
  const ranges = resourceAddressRanges(resource);
  return ranges.length === 0 ? {} : { allowAddressRanges: ranges };
}

/**
 * Chooses the OAuth client per authorization server and builds its openid-client configuration. The
 * choice follows the MCP registration order (`resolveClient` of `@oauth-discovery/mcp`: pre-registered
 * id from the config, a registration stored for the issuer, a preset's id, dynamic registration) and
 * is stored per issuer binding (`issuerBinding`), so every upstream behind one verified issuer reuses one registration — the redirect URI
 * is the aggregator's single callback, which is what makes that allowed (RFC 7591 §2). Concurrent
 * logins to one issuer share one registration request.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#client-registration-approaches
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 */
export function createClientResolver(options: ClientResolverOptions) {
  const inFlight = new Map<string, Promise<StoredClient>>();

  async function clientFor(result: DiscoveryResult, settings: UpstreamClientSettings): Promise<StoredClient> {
    // One registration in flight per binding: an upstream whose issuer was only adopted never shares
    // the registration (or the secret) of an upstream whose issuer was verified.
    const binding = issuerBinding(result.authorizationServer);
    const flightKey = `${bindingScope(binding)}\n${binding.tokenEndpoint}\n${settings.clientId ?? ''}`;
    const running = inFlight.get(flightKey);
    if (running) return running;
    const resolving = resolveClient({
      result,
      store: options.store,
      http: options.http,
      init: requestInitFor(result.resource),
      redirectUri: options.redirectUri,
      scope: result.scopes?.join(' '),
      options: {
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        clientName: options.clientName,
      },
    }).then(({ client }) => client);
    inFlight.set(flightKey, resolving);
    try {
      return await resolving;
    } finally {
      inFlight.delete(flightKey);
    }
  }

  return {
    /** The stored or new client for the result's issuer, as an openid-client configuration. */
    async resolve(result: DiscoveryResult, settings: UpstreamClientSettings): Promise<ResolvedOAuthClient> {
      const client = await clientFor(result, settings);
      return { client, configuration: configurationFor(result, client) };
    },
    /** The openid-client configuration of a known client (no registration). */
    configurationFor,
  };

  /** The flow engine's configuration (client authentication chosen by the engine's rule). */
  function configurationFor(result: DiscoveryResult, client: StoredClient): Configuration {
    return engineConfiguration(result, client, {
      http: options.http,
      init: requestInitFor(result.resource),
      onRelaxation: (relaxation) => options.onRelaxation?.(result.authorizationServer.issuer, relaxation),
    });
  }
}

/** The resolver {@link createClientResolver} returns. */
export type ClientResolver = ReturnType<typeof createClientResolver>;
