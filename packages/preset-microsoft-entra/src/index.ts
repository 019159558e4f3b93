import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { parseHttpUrl } from '@oauth-discovery/core/http';
import {
  createPresetStrategy,
  type PresetDefinition,
  type PresetStrategy,
  type PresetStrategyOptions,
} from '@oauth-discovery/core/preset';
import { ENTRA_ORIGIN, entraPreset } from './facts.js';

export { ENTRA_ORIGIN, entraFacts, entraPreset } from './facts.js';

/** Options of {@link microsoftEntra}. */
export interface MicrosoftEntraOptions extends PresetStrategyOptions {
  /**
   * A tenant id (GUID) or verified domain (`contoso.onmicrosoft.com`). With `resources`, the preset also
   * contributes the candidate issuer `https://login.microsoftonline.com/<tenant>/v2.0` for them, so no
   * protected resource metadata is needed. The multi-tenant aliases `common`, `organizations` and
   * `consumers` are refused: their metadata names a templated issuer no strict check accepts.
   */
  readonly tenant?: string;
  /** Exact resource URLs whose authorization server is `tenant` (required with `tenant`, and only with it). */
  readonly resources?: readonly string[];
}

const TENANT = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const MULTI_TENANT = new Set(['common', 'organizations', 'consumers']);

function invalid(key: string, message: string, actual: unknown): never {
  throw new DiscoveryError(
    ErrorCodes.INVALID_CONFIG,
    `Invalid options of preset microsoft-entra: ${key}: ${message}`,
    {
      expected: message,
      actual,
    },
  );
}

function isHttpUrl(value: unknown): boolean {
  return typeof value === 'string' && parseHttpUrl(value) !== null;
}

/**
 * The definition in effect for these options: {@link entraPreset}, plus — with `tenant` and `resources` —
 * a resource entry contributing the tenant's v2.0 issuer for those resources.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` naming the bad option.
 */
export function entraDefinition(options: MicrosoftEntraOptions = {}): PresetDefinition {
  const { tenant, resources } = options;
  if (tenant === undefined && resources === undefined) return entraPreset;
  if (tenant === undefined)
    invalid('resources', 'requires tenant (the Entra tenant of these resources)', resources);
  if (typeof tenant !== 'string' || !TENANT.test(tenant)) {
    invalid('tenant', 'expected a tenant id (GUID) or domain such as contoso.onmicrosoft.com', tenant);
  }
  if (MULTI_TENANT.has(tenant.toLowerCase())) {
    invalid(
      'tenant',
      `"${tenant}" is a multi-tenant alias whose metadata names a templated issuer; use a tenant id`,
      tenant,
    );
  }
  if (resources === undefined || resources.length === 0) {
    invalid('resources', 'expected at least one resource URL when tenant is set', resources);
  }
  resources.forEach((resource, i) => {
    if (!isHttpUrl(resource)) invalid(`resources[${i}]`, 'expected an absolute http(s) URL', resource);
  });
  return {
    ...entraPreset,
    resources: [
      {
        label: `resource protected by Entra tenant ${tenant}`,
        match: resources.map((url) => ({ url })),
        issuers: [{ issuer: `${ENTRA_ORIGIN}/${tenant}/v2.0` }],
        facts: ['oidc-append-only'],
      },
    ],
  };
}

/**
 * The Microsoft Entra ID preset strategy, `preset:microsoft-entra`. It contributes its issuer policy for
 * every resource (`found`, "applies to Microsoft Entra ID issuers"); with `tenant` and `resources` it also
 * contributes the tenant's issuer for those resources.
 *
 * @example
 * ```ts
 * const pipeline = createPipeline([microsoftEntra(), wwwAuthenticate(), rfc9728(), rfc8414(), oidc()]);
 * ```
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export function microsoftEntra(options: MicrosoftEntraOptions = {}): PresetStrategy {
  return createPresetStrategy(
    entraDefinition(options),
    options.hosts === undefined ? {} : { hosts: options.hosts },
  );
}
