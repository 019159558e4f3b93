import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import {
  authorizationServerMetadataSchema,
  isEndpointField,
  isSecureUrl,
  providerHintsSchema,
} from '@oauth-discovery/core/metadata';
import {
  invalidConfigError,
  resourceMatchSchema,
  secureIssuerUrlSchema,
  secureUrlSchema,
} from '@oauth-discovery/core/preset';
import { z } from 'zod';
import type { StaticConfig, StaticConfigEntry } from './types.js';

const HTTPS_MESSAGE = 'expected an absolute https URL (http only for loopback hosts)';

function isSecure(value: string): boolean {
  const url = URL.parse(value);
  return url !== null && isSecureUrl(url);
}

const metadata = authorizationServerMetadataSchema.superRefine((doc, ctx) => {
  if (!isSecure(doc.issuer)) ctx.addIssue({ code: 'custom', path: ['issuer'], message: HTTPS_MESSAGE });
  for (const [field, value] of Object.entries(doc)) {
    if (isEndpointField(field) && typeof value === 'string' && !isSecure(value)) {
      ctx.addIssue({ code: 'custom', path: [field], message: HTTPS_MESSAGE });
    }
  }
});

const entry = z
  .strictObject({
    resource: resourceMatchSchema,
    issuer: secureIssuerUrlSchema.optional(),
    metadataUrl: secureUrlSchema.optional(),
    metadata: metadata.optional(),
    acceptedIssuers: z.array(secureIssuerUrlSchema).optional(),
    scopes: z.array(z.string().min(1)).optional(),
    hints: providerHintsSchema.optional(),
    preset: z
      .string()
      .regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, { error: 'expected a preset name (kebab-case)' })
      .optional(),
  })
  .superRefine((value, ctx) => {
    const ways = ['issuer', 'metadataUrl', 'metadata'].filter(
      (key) => key in value && value[key as 'issuer'] !== undefined,
    );
    if (ways.length === 0) {
      ctx.addIssue({ code: 'custom', path: [], message: 'expected one of issuer, metadataUrl or metadata' });
    }
    if (value.metadata !== undefined && ways.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['metadata'],
        message: 'cannot be combined with issuer or metadataUrl (the document names its issuer)',
      });
    }
    if (value.metadata !== undefined && value.acceptedIssuers !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['acceptedIssuers'], message: 'only with issuer or metadataUrl' });
    }
    if (value.scopes !== undefined && value.hints?.defaultScopes !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['hints', 'defaultScopes'],
        message: 'set scopes or hints.defaultScopes, not both',
      });
    }
  });

const config = z.strictObject(
  { resources: z.array(entry) },
  { error: 'expected an object with a resources array' },
);

/**
 * Validates a static configuration (or a bare list of entries, reported as `resources[i]`): unknown keys
 * are errors, URLs are absolute and https (http only for loopback hosts), exactly one of `issuer`,
 * `metadataUrl` (optionally with `issuer`) or `metadata` per entry, and inline metadata passes the core
 * authorization server metadata schema.
 *
 * @param what  names the source in the message, e.g. `static config /etc/discovery.yaml`.
 * @throws {DiscoveryError} `INVALID_CONFIG` whose message names each bad key: `resources[2].issuer: expected an absolute https URL …`.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function validateStaticConfig(input: unknown, what = 'static config'): StaticConfig {
  if (Array.isArray(input)) return validateStaticConfig({ resources: input }, what);
  const parsed = config.safeParse(input);
  if (!parsed.success) throw invalidConfigError(what, parsed.error);
  return { resources: parsed.data.resources as readonly StaticConfigEntry[] };
}

/** `INVALID_CONFIG` for a configuration that cannot be read or parsed at all (not a schema error). */
export function configFileError(message: string, path: string, cause?: unknown): DiscoveryError {
  return new DiscoveryError(ErrorCodes.INVALID_CONFIG, message, {
    expected: 'a readable JSON or YAML static config file',
    actual: path,
    cause,
  });
}
