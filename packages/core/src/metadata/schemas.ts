import { z } from 'zod';

/**
 * An absolute URL (a scheme and, for `http:`/`https:`, a host). The HTTPS rule (https, or http only
 * for loopback hosts) is deliberately not applied here: the `process…` functions apply it so that the
 * error is `INSECURE_URL` naming the field, not a generic schema violation.
 */
export const endpointUrl = z.string().refine((value) => URL.canParse(value), {
  error: 'must be an absolute URL',
});

/**
 * An absolute URL without a fragment: the form of a protected resource identifier.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-1.2
 */
const resourceIdentifier = z
  .string()
  .refine((value) => URL.canParse(value), { error: 'must be an absolute URL' })
  .refine((value) => !value.includes('#'), { error: 'must not contain a fragment' });

/**
 * An absolute URL without query or fragment: the form of an authorization server issuer identifier.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
const issuerIdentifier = z
  .string()
  .refine((value) => URL.canParse(value), { error: 'must be an absolute URL' })
  .refine((value) => !value.includes('?') && !value.includes('#'), {
    error: 'must not contain a query or fragment',
  });

const strings = z.array(z.string());

/** How deep an unknown field of a metadata document may nest (objects and arrays) and still be kept. */
export const MAX_UNKNOWN_FIELD_DEPTH = 16;

/** How large an unknown field may be (UTF-16 code units of its strings and keys, a rough JSON size) and still be kept. */
export const MAX_UNKNOWN_FIELD_SIZE = 16_384;

/**
 * Whether a JSON value nests at most `maxDepth` levels and weighs at most `maxSize`. Iterative, and it
 * stops at the first limit crossed: a hostile document nested 20,000 levels costs no stack.
 */
function withinLimits(value: unknown, maxDepth: number, maxSize: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  let size = 0;
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    size += typeof item === 'string' ? item.length + 2 : 8;
    if (size > maxSize) return false;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= maxDepth) return false;
    if (Array.isArray(item)) {
      for (const child of item) stack.push([child, depth + 1]);
    } else {
      for (const [key, child] of Object.entries(item)) {
        size += key.length + 3;
        stack.push([child, depth + 1]);
      }
    }
  }
  return true;
}

/**
 * An unknown field of a metadata document, kept as is when it nests at most
 * {@link MAX_UNKNOWN_FIELD_DEPTH} levels and weighs at most {@link MAX_UNKNOWN_FIELD_SIZE}; else replaced
 * by a string saying it was omitted. A server cannot make `discover --json` print megabytes (pretty
 * printing a deep value grows with the square of its depth) or overflow the stack of whoever
 * serialises the result.
 */
const unknownField = z
  .unknown()
  .transform((value) =>
    withinLimits(value, MAX_UNKNOWN_FIELD_DEPTH, MAX_UNKNOWN_FIELD_SIZE)
      ? value
      : `[omitted: an unknown field deeper than ${MAX_UNKNOWN_FIELD_DEPTH} levels or larger than ${MAX_UNKNOWN_FIELD_SIZE} characters]`,
  );

/**
 * Protected resource metadata (RFC 9728 §2). Unknown fields are kept (within depth and size limits,
 * see {@link MAX_UNKNOWN_FIELD_DEPTH}). Only `resource` is required.
 * Human-readable URLs (`resource_documentation`, `resource_policy_uri`, `resource_tos_uri`) are plain
 * strings: they are shown, never fetched, and a typo in them must not break discovery.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-2
 */
export const protectedResourceMetadataSchema = z
  .object({
    resource: resourceIdentifier,
    authorization_servers: z.array(issuerIdentifier).optional(),
    jwks_uri: endpointUrl.optional(),
    scopes_supported: strings.optional(),
    bearer_methods_supported: strings.optional(),
    resource_signing_alg_values_supported: strings.optional(),
    resource_name: z.string().optional(),
    resource_documentation: z.string().optional(),
    resource_policy_uri: z.string().optional(),
    resource_tos_uri: z.string().optional(),
    tls_client_certificate_bound_access_tokens: z.boolean().optional(),
    authorization_details_types_supported: strings.optional(),
    dpop_signing_alg_values_supported: strings.optional(),
    dpop_bound_access_tokens_required: z.boolean().optional(),
  })
  .catchall(unknownField);

/**
 * Authorization server metadata: RFC 8414 §2 plus the OpenID Connect Discovery 1.0 §3 fields that
 * discovery uses. Unknown fields are kept (within depth and size limits, see {@link MAX_UNKNOWN_FIELD_DEPTH}).
 *
 * Only `issuer` is required. RFC 8414 also requires `response_types_supported`, but real servers omit
 * it, so it is optional here; the CLI's `check` command reports its absence to the server's operators.
 * `authorization_endpoint` and `token_endpoint` are optional for the same reason (RFC 8414 makes them
 * conditional on the grant types). Every `*_endpoint` and `jwks_uri` must be an absolute URL; the HTTPS
 * rule is applied by {@link processAuthorizationServerMetadataResponse}. Human-readable URLs
 * (`service_documentation`, `op_policy_uri`, `op_tos_uri`) are plain strings.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export const authorizationServerMetadataSchema = z
  .object({
    issuer: issuerIdentifier,
    authorization_endpoint: endpointUrl.optional(),
    token_endpoint: endpointUrl.optional(),
    jwks_uri: endpointUrl.optional(),
    registration_endpoint: endpointUrl.optional(),
    scopes_supported: strings.optional(),
    response_types_supported: strings.optional(),
    response_modes_supported: strings.optional(),
    grant_types_supported: strings.optional(),
    token_endpoint_auth_methods_supported: strings.optional(),
    token_endpoint_auth_signing_alg_values_supported: strings.optional(),
    service_documentation: z.string().optional(),
    ui_locales_supported: strings.optional(),
    op_policy_uri: z.string().optional(),
    op_tos_uri: z.string().optional(),
    revocation_endpoint: endpointUrl.optional(),
    introspection_endpoint: endpointUrl.optional(),
    code_challenge_methods_supported: strings.optional(),
    /** @see https://www.rfc-editor.org/rfc/rfc9207#section-3 */
    authorization_response_iss_parameter_supported: z.boolean().optional(),
    /** MCP 2025-11-25: the server accepts URL-formatted client ids (Client ID Metadata Documents). */
    client_id_metadata_document_supported: z.boolean().optional(),
    userinfo_endpoint: endpointUrl.optional(),
    subject_types_supported: strings.optional(),
    id_token_signing_alg_values_supported: strings.optional(),
    end_session_endpoint: endpointUrl.optional(),
  })
  .catchall(unknownField);

/**
 * Protected resource metadata as validated by {@link protectedResourceMetadataSchema} (unknown fields kept).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-2
 */
export type ProtectedResourceMetadata = z.infer<typeof protectedResourceMetadataSchema>;

/**
 * Authorization server metadata as validated by {@link authorizationServerMetadataSchema} (unknown fields kept).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export type AuthorizationServerMetadata = z.infer<typeof authorizationServerMetadataSchema>;
