import { z } from 'zod';

/**
 * Authorization request parameters a hint may never set: the ones the flow computes itself, so a preset
 * or configuration cannot replace the redirect, PKCE, state or client of a request.
 */
export const RESERVED_AUTHORIZATION_PARAMETERS: readonly string[] = [
  'client_id',
  'redirect_uri',
  'response_type',
  'state',
  'code_challenge',
  'code_challenge_method',
  'resource',
  'scope',
  'nonce',
  'request',
  'request_uri',
];

/**
 * The provider-specific authorization request parameters of a discovery's hints
 * (`extraAuthorizationParameters`, e.g. Auth0's `audience`) that a flow may send: every one the flow
 * computes itself ({@link RESERVED_AUTHORIZATION_PARAMETERS}) is left out, even when the hints were built
 * in code and never passed through {@link providerHintsSchema}. The one rule every flow uses.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1
 */
export function extraAuthorizationParameters(hints: {
  readonly extraAuthorizationParameters?: Readonly<Record<string, string>> | undefined;
}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(hints.extraAuthorizationParameters ?? {}).filter(
      ([name]) => !RESERVED_AUTHORIZATION_PARAMETERS.includes(name),
    ),
  );
}

/**
 * `ProviderHints` as presets and static configuration write them: known keys only, so a typo in a
 * configuration file is an `INVALID_CONFIG` naming the key rather than a hint silently ignored.
 */
export const providerHintsSchema = z.strictObject({
  requiresPreregisteredClient: z.boolean().optional(),
  pkceS256KnownSupported: z.boolean().optional(),
  omitResourceParameter: z.boolean().optional(),
  defaultScopes: z.array(z.string().min(1)).optional(),
  clientId: z.string().min(1).optional(),
  preregisteredClientMessage: z.string().min(1).optional(),
  extraAuthorizationParameters: z
    .record(z.string().min(1), z.string())
    .refine((params) => Object.keys(params).every((k) => !RESERVED_AUTHORIZATION_PARAMETERS.includes(k)), {
      error: `cannot set a parameter the flow computes (${RESERVED_AUTHORIZATION_PARAMETERS.join(', ')})`,
    })
    .optional(),
  preferredRegistration: z.enum(['dcr', 'cimd', 'preregistered']).optional(),
  registrationFields: z
    .record(z.string().min(1), z.union([z.string(), z.array(z.string())]))
    .refine((fields) => !('redirect_uris' in fields), {
      error: 'cannot set redirect_uris (the flow registers its own redirect URI)',
    })
    .optional(),
  notes: z.array(z.string()).optional(),
});
