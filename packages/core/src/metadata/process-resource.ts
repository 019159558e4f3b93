import { DiscoveryError, ErrorCodes } from '../errors.js';
import type { HttpResponse, ResourceMetadataFound } from '../types.js';
import { invalidMetadataError, isSuccessStatus, jsonBody } from './invalid-metadata.js';
import { normalizeResource, resourcesMatch } from './resource.js';
import { protectedResourceMetadataSchema } from './schemas.js';
import { assertSecureUrl } from './secure-url.js';

/**
 * Validates a protected resource metadata response (RFC 9728 §3.2) for the resource the client asked
 * for, in this order:
 *
 * 1. status 2xx, else `RESOURCE_METADATA_NOT_FOUND` (`actual` is the status);
 * 2. the schema, else `INVALID_METADATA` listing each bad field (zod error as `cause`);
 * 3. `resource` identifies `expectedResource` per {@link resourcesMatch} (RFC 9728 §3.3) — or, when
 *    `expectedResource` is a list, one of its entries (the first is the requested resource; the
 *    others are identifiers the caller also accepts, such as the origin for the root URL) — else the
 *    security error `RESOURCE_MISMATCH` (`expected` is the requested resource, `actual` the named one);
 * 4. every `authorization_servers` entry and `jwks_uri` is `https:` (or `http:` on a loopback host),
 *    else the security error `INSECURE_URL` naming the field, e.g. `authorization_servers[1]`.
 *
 * The returned `url` is the response's final URL (after redirects); which accepted identifier the
 * document named is `document.resource`.
 *
 * @throws {DiscoveryError} `INVALID_URL` when an accepted resource is not an absolute URL, or one of the codes above.
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.2
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.3
 */
export function processResourceMetadataResponse(
  expectedResource: string | readonly [string, ...string[]],
  response: HttpResponse,
): ResourceMetadataFound {
  const accepted = (typeof expectedResource === 'string' ? [expectedResource] : expectedResource).map(
    normalizeResource,
  );
  const requested = typeof expectedResource === 'string' ? expectedResource : expectedResource[0];
  if (!isSuccessStatus(response.status)) {
    throw new DiscoveryError(
      ErrorCodes.RESOURCE_METADATA_NOT_FOUND,
      `No protected resource metadata at ${response.url}: HTTP ${response.status}`,
      { url: response.url, expected: 'HTTP 2xx', actual: response.status },
    );
  }
  const parsed = protectedResourceMetadataSchema.safeParse(jsonBody('protected resource metadata', response));
  if (!parsed.success) throw invalidMetadataError('protected resource metadata', response.url, parsed.error);
  const document = parsed.data;

  if (!accepted.some((resource) => resourcesMatch(resource, document.resource))) {
    throw new DiscoveryError(
      ErrorCodes.RESOURCE_MISMATCH,
      `Protected resource metadata at ${response.url} is for resource ${document.resource}, not for the requested ${requested}`,
      { url: response.url, expected: requested, actual: document.resource },
    );
  }
  for (const [index, server] of (document.authorization_servers ?? []).entries()) {
    assertSecureUrl(`authorization_servers[${index}]`, server, response.url);
  }
  if (document.jwks_uri !== undefined) assertSecureUrl('jwks_uri', document.jwks_uri, response.url);

  return { url: response.url, document };
}
