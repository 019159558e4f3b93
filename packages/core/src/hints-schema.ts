import { z } from 'zod';

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
  notes: z.array(z.string()).optional(),
});
