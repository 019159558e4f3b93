import {
  type AuthorizationServerFound,
  type AuthorizationServerMetadata,
  DiscoveryError,
  type DiscoveryStrategy,
  ErrorCodes,
} from '@oauth-discovery/core';
import { isSecureUrl } from '@oauth-discovery/core/metadata';

/**
 * The MCP 2025-03-26 default endpoints at `origin`: `/authorize`, `/token`, `/register`.
 *
 * It claims nothing the server did not say: no `code_challenge_methods_supported` (so a result built
 * from it has `pkce.s256Advertised: false`). MCP 2025-03-26 (§2.1.1) makes PKCE mandatory, so
 * {@link legacyDefaults} adds the hint `pkceS256KnownSupported` instead, which the trace shows.
 * `issuer` is the origin: the revision has the authorization server share the MCP server's origin
 * (path discarded).
 *
 * @see https://modelcontextprotocol.io/specification/2025-03-26/basic/authorization#2-3-3-fallbacks-for-servers-without-metadata-discovery
 */
export function legacyDefaultMetadata(origin: string): AuthorizationServerMetadata {
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    registration_endpoint: `${origin}/register`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
  };
}

/**
 * The last-resort strategy for MCP 2025-03-26 servers that publish no metadata at all, named
 * `legacy-defaults`. It sends no request: when there is neither protected resource metadata nor an
 * issuer candidate, it contributes {@link legacyDefaultMetadata} at the resource's origin with
 * `issuerCheck: 'guessed'` (the result's `guessed` is `true`). Otherwise it is `skipped`, because a
 * known authorization server must never be replaced by a guess. Put it last in a pipeline.
 *
 * The pipeline accepts the guess only after a real "not here": the resource's origin answered HTTP
 * and every URL tried answered 404/410 (or 401/403). A network error, a timeout, a 5xx, 408/429, a
 * page that is not JSON, a broken document, or a `resource_metadata` URL from the challenge that
 * could not be used makes the discovery fail with that cause instead (its code, e.g. `NETWORK_ERROR`).
 *
 * @throws {DiscoveryError} `INSECURE_URL` when the resource is plain `http:` on a host that is not loopback.
 *
 * @see https://modelcontextprotocol.io/specification/2025-03-26/basic/authorization#2-3-3-fallbacks-for-servers-without-metadata-discovery
 */
export function legacyDefaults(): DiscoveryStrategy {
  return {
    name: 'legacy-defaults',
    contributes: ['authorizationServer', 'hints'],
    async run(ctx) {
      const { state } = ctx;
      if (state.resourceMetadata !== undefined) {
        return {
          status: 'skipped',
          reason: `protected resource metadata is known (${state.resourceMetadata.url}); defaults are only for servers without metadata`,
        };
      }
      if (state.issuers.length > 0) {
        const names = state.issuers.map((c) => `${c.issuer} (from ${c.source})`).join(', ');
        return {
          status: 'skipped',
          reason: `issuer candidates are known: ${names}; defaults are only for servers without metadata`,
        };
      }
      const origin = new URL(state.resource).origin;
      // Nothing else checks this origin: no request is made, so the HTTP client's HTTPS rule never runs.
      if (!isSecureUrl(new URL(origin))) {
        throw new DiscoveryError(
          ErrorCodes.INSECURE_URL,
          `Refusing to guess endpoints at ${origin}: plain http: is only allowed for loopback hosts`,
          {
            url: state.resource,
            expected: 'an https: resource (http: only for loopback hosts)',
            actual: origin,
          },
        );
      }
      const authorizationServer: AuthorizationServerFound = {
        issuer: origin,
        metadataUrl: null,
        metadata: legacyDefaultMetadata(origin),
        issuerCheck: 'guessed',
        source: 'legacy-defaults',
      };
      ctx.note(
        `guessed: no metadata anywhere, using the MCP 2025-03-26 default endpoints ${origin}/authorize, ${origin}/token, ${origin}/register`,
      );
      const pkceNote = `legacy-defaults: PKCE S256 assumed, not advertised (MCP 2025-03-26 §2.1.1 makes PKCE mandatory)`;
      return {
        status: 'found',
        contribution: { authorizationServer, hints: { pkceS256KnownSupported: true, notes: [pkceNote] } },
      };
    },
  };
}
