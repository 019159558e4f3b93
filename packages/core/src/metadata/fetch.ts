import type { AuthorizationServerFound, HttpClient, ResourceMetadataFound } from '../types.js';
import {
  type AuthorizationServerExpectation,
  processAuthorizationServerMetadataResponse,
} from './process-authorization-server.js';
import { processResourceMetadataResponse } from './process-resource.js';

/**
 * GETs protected resource metadata at `url` (as JSON) and validates it for `expectedResource` (or any
 * of a list of accepted identifiers, the requested one first) with {@link processResourceMetadataResponse}. Every failure is a `DiscoveryError`: transport and policy
 * errors from `http`, then the codes of the process function. Callers decide which are misses
 * (`RESOURCE_METADATA_NOT_FOUND`, …) and which must stop discovery (`isSecurityError`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3
 */
export async function fetchResourceMetadata(
  http: HttpClient,
  url: string,
  expectedResource: string | readonly [string, ...string[]],
): Promise<ResourceMetadataFound> {
  const response = await http.request(url, { expect: 'json' });
  return processResourceMetadataResponse(expectedResource, response);
}

/**
 * GETs authorization server metadata at `url` (as JSON) and validates it against `expectation` with
 * {@link processAuthorizationServerMetadataResponse}. Every failure is a `DiscoveryError`: transport
 * and policy errors from `http`, then the codes of the process function. Callers decide which are
 * misses (`AUTHORIZATION_SERVER_METADATA_NOT_FOUND`, …) and which must stop discovery (`isSecurityError`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export async function fetchAuthorizationServerMetadata(
  http: HttpClient,
  url: string,
  expectation: AuthorizationServerExpectation,
): Promise<AuthorizationServerFound> {
  const response = await http.request(url, { expect: 'json' });
  return processAuthorizationServerMetadataResponse(expectation, response);
}
