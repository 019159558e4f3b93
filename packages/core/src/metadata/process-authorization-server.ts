import { DiscoveryError, ErrorCodes } from '../errors.js';
import type { AuthorizationServerFound, HttpResponse, IssuerCheck } from '../types.js';
import { invalidMetadataError, isSuccessStatus, jsonBody } from './invalid-metadata.js';
import { issuersMatch } from './resource.js';
import { type AuthorizationServerMetadata, authorizationServerMetadataSchema } from './schemas.js';
import { assertSecureUrl } from './secure-url.js';

/** What the caller expects of an authorization server metadata document, and who is asking. */
export interface AuthorizationServerExpectation {
  /**
   * The issuer identifier the metadata URL was built from; the document must name it (RFC 8414 §3.3).
   * `null` only for the legacy MCP 2025-03-26 origin fallback, where no issuer is known.
   */
  readonly issuer: string | null;
  /**
   * Issuer values a preset or static configuration pinned as acceptable instead of `issuer`
   * (traced as `alias`). Security-relevant: each entry is an issuer this caller chooses to trust.
   */
  readonly acceptedIssuers?: readonly string[] | undefined;
  /** Name of the strategy asking; becomes `source` of the result. */
  readonly source: string;
  /**
   * With `issuer: null`: adopt whatever issuer the document names (traced as `adopted`). Default `true`;
   * set `false` to accept only `acceptedIssuers` (anything else is `ISSUER_MISMATCH`). Ignored when
   * `issuer` is set.
   */
  readonly adoptWhenNoIssuer?: boolean;
}

/** Whether a metadata field holds a URL the client will send requests to (`*_endpoint`, `jwks_uri`). */
export function isEndpointField(field: string): boolean {
  return field.endsWith('_endpoint') || field === 'jwks_uri';
}

function checkIssuer(expectation: AuthorizationServerExpectation, actual: string, url: string): IssuerCheck {
  if (expectation.issuer !== null && issuersMatch(expectation.issuer, actual)) return 'exact';
  if ((expectation.acceptedIssuers ?? []).some((accepted) => issuersMatch(accepted, actual))) return 'alias';
  if (expectation.issuer === null && expectation.adoptWhenNoIssuer !== false) return 'adopted';

  const expected = [
    ...(expectation.issuer === null ? [] : [expectation.issuer]),
    ...(expectation.acceptedIssuers ?? []),
  ];
  const wanted =
    expected.length === 0
      ? 'no issuer was expected and adoption is disabled'
      : `expected ${expected.join(' or ')}`;
  throw new DiscoveryError(
    ErrorCodes.ISSUER_MISMATCH,
    `Authorization server metadata at ${url} names issuer ${actual}; ${wanted} (RFC 8414 §3.3)`,
    { url, expected: expected.length === 1 ? expected[0] : expected, actual },
  );
}

/**
 * Validates an authorization server metadata response (RFC 8414 §3.2, OIDC Discovery §4.2), in this order:
 *
 * 1. status 2xx, else `AUTHORIZATION_SERVER_METADATA_NOT_FOUND` (`actual` is the status);
 * 2. the schema, else `INVALID_METADATA` listing each bad field (zod error as `cause`);
 * 3. the issuer check (RFC 8414 §3.3), compared with {@link issuersMatch}: the document's `issuer` is
 *    `expectation.issuer` (`exact`), else one of `expectation.acceptedIssuers` (`alias`), else — only when
 *    `expectation.issuer` is `null` and `adoptWhenNoIssuer` is not `false` — it is adopted (`adopted`);
 *    otherwise the security error `ISSUER_MISMATCH` (`expected`, `actual`, `url`);
 * 4. `issuer`, every `*_endpoint` field (known or not) and `jwks_uri` use `https:` (or `http:` on a
 *    loopback host), else the security error `INSECURE_URL` naming the field.
 *
 * The result's `issuer` is the document's own `issuer` (the value the server will send as RFC 9207 `iss`),
 * and `metadataUrl` is the response's final URL.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.2
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation
 */
export function processAuthorizationServerMetadataResponse(
  expectation: AuthorizationServerExpectation,
  response: HttpResponse,
): AuthorizationServerFound {
  if (!isSuccessStatus(response.status)) {
    throw new DiscoveryError(
      ErrorCodes.AUTHORIZATION_SERVER_METADATA_NOT_FOUND,
      `No authorization server metadata at ${response.url}: HTTP ${response.status}`,
      { url: response.url, expected: 'HTTP 2xx', actual: response.status },
    );
  }
  const kind = 'authorization server metadata';
  const parsed = authorizationServerMetadataSchema.safeParse(jsonBody(kind, response));
  if (!parsed.success) throw invalidMetadataError(kind, response.url, parsed.error);
  const metadata: AuthorizationServerMetadata = parsed.data;

  const issuerCheck = checkIssuer(expectation, metadata.issuer, response.url);
  assertSecureUrl('issuer', metadata.issuer, response.url);
  for (const [field, value] of Object.entries(metadata)) {
    if (isEndpointField(field) && typeof value === 'string') assertSecureUrl(field, value, response.url);
  }

  return {
    issuer: metadata.issuer,
    metadataUrl: response.url,
    metadata,
    issuerCheck,
    source: expectation.source,
  };
}
