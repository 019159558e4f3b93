import type { OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { AuthorizationServerMetadata as SdkAuthorizationServerMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { DiscoveryError, type DiscoveryResult, definedProperties, ErrorCodes } from '@oauth-discovery/core';

export { resourceIndicator } from './resource-indicator.js';

/**
 * Converts our {@link DiscoveryResult} into the SDK's `OAuthDiscoveryState`, complete enough that the
 * SDK's `auth()` does no discovery of its own:
 *
 * - `authorizationServerUrl` is the accepted issuer and `authorizationServerMetadata` its metadata
 *   (with `response_types_supported` defaulted to `["code"]` when the server omits it — the SDK's
 *   schema requires the field, real servers leave it out);
 * - `resourceMetadata` is the PRM when one was found. When there is none (Atlassian v1 publishes no
 *   PRM) a minimal document `{ resource, authorization_servers: [issuer], scopes_supported }` is
 *   synthesised from the result: the SDK fetches the PRM itself whenever this field is missing.
 *
 * @throws {DiscoveryError} `INVALID_METADATA` when the metadata has no authorization or token endpoint
 *   (the authorization code flow needs both).
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-2
 */
export function toSdkDiscoveryState(result: DiscoveryResult): OAuthDiscoveryState {
  const { issuer, metadata, metadataUrl } = result.authorizationServer;
  for (const field of ['authorization_endpoint', 'token_endpoint'] as const) {
    if (metadata[field] === undefined) {
      throw new DiscoveryError(
        ErrorCodes.INVALID_METADATA,
        `Authorization server metadata of ${issuer} has no ${field}; the authorization code flow needs it`,
        { url: metadataUrl ?? issuer, expected: `${field} (RFC 8414 §2)`, actual: undefined },
      );
    }
  }
  const authorizationServerMetadata = {
    ...metadata,
    response_types_supported: metadata.response_types_supported ?? ['code'],
  } as SdkAuthorizationServerMetadata;
  const resourceMetadata = result.resourceMetadata?.document ?? {
    resource: result.resource,
    authorization_servers: [issuer],
    scopes_supported: result.scopes?.slice(),
  };
  // The SDK's type has no room for an undefined `resourceMetadataUrl`.
  return definedProperties({
    authorizationServerUrl: issuer,
    authorizationServerMetadata,
    resourceMetadata,
    resourceMetadataUrl: result.resourceMetadata?.url,
  });
}
