import { z } from 'zod';
import { DiscoveryError, ErrorCodes } from '../errors.js';
import { providerHintsSchema } from '../hints-schema.js';
import { parseHttpUrl } from '../http/url-policy.js';
import { invalidConfigError } from './invalid-config.js';
import { resourceMatchSchema } from './resource-match.js';
import type { PresetAcceptedIssuer, PresetDefinition, PresetIssuerPolicy } from './types.js';
import { httpUrlSchema, issuerUrlSchema, originUrlSchema } from './url-schemas.js';

const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** `YYYY-MM-DD`, or the reduced precisions `YYYY-MM` and `YYYY` (ISO 8601) when the source gives no day. */
function isObservedDate(value: string): boolean {
  const m = DATE.exec(value);
  if (m === null) return false;
  const full = `${m[1]}-${m[2] ?? '01'}-${m[3] ?? '01'}`;
  const date = new Date(`${full}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(full);
}

const factIds = z.array(z.string()).min(1, { error: 'expected at least one fact id' });
const acceptedIssuer = z.union(
  [issuerUrlSchema, z.strictObject({ issuer: issuerUrlSchema, facts: factIds })],
  {
    error: 'expected an issuer URL or { issuer, facts }',
  },
);

const policySchema = z.strictObject({
  match: z.union([z.strictObject({ exact: issuerUrlSchema }), z.strictObject({ prefix: httpUrlSchema })]),
  acceptedIssuers: z.array(acceptedIssuer).optional(),
  metadataUrlKinds: z
    .array(z.enum(['oauth', 'oidc-insert', 'oidc-append']))
    .min(1)
    .optional(),
  metadataUrl: httpUrlSchema.optional(),
  pin: z.boolean().optional(),
  hints: providerHintsSchema.optional(),
  facts: factIds,
});

const definitionSchema = z.strictObject({
  name: z.string().regex(NAME, { error: 'expected a kebab-case name (a-z, 0-9, -)' }),
  title: z.string().min(1),
  description: z.string().min(1),
  hosts: z.array(originUrlSchema).min(1),
  facts: z
    .array(
      z.strictObject({
        id: z.string().regex(NAME, { error: 'expected a kebab-case id' }),
        statement: z.string().min(1),
        observed: z
          .string()
          .refine(isObservedDate, { error: 'expected a date YYYY-MM-DD (or YYYY-MM, YYYY)' }),
        source: z.string().min(1),
        evidence: z.enum(['reported', 'thin']).optional(),
      }),
    )
    .min(1),
  resources: z
    .array(
      z.strictObject({
        label: z.string().min(1),
        match: z.array(resourceMatchSchema).min(1),
        issuers: z
          .array(
            z.strictObject({ issuer: issuerUrlSchema, acceptedIssuers: z.array(acceptedIssuer).optional() }),
          )
          .optional(),
        issuerPolicies: z.array(policySchema).optional(),
        resourceIdentifierExceptions: z
          .array(z.strictObject({ resource: httpUrlSchema, facts: factIds }))
          .optional(),
        hints: providerHintsSchema.optional(),
        facts: factIds,
      }),
    )
    .optional(),
  issuerPolicies: z.array(policySchema).optional(),
});

function fail(name: string, path: string, message: string, actual: unknown): never {
  throw new DiscoveryError(ErrorCodes.INVALID_CONFIG, `Invalid preset ${name}: ${path}: ${message}`, {
    expected: message,
    actual,
  });
}

function onHost(value: string, hosts: readonly string[]): boolean {
  const origin = parseHttpUrl(value)?.origin;
  return origin !== undefined && hosts.some((host) => parseHttpUrl(host)?.origin === origin);
}

/** The issuer of an accepted-issuer entry (plain or dated). */
export function acceptedIssuerUrl(entry: PresetAcceptedIssuer): string {
  return typeof entry === 'string' ? entry : entry.issuer;
}

function checkAccepted(
  definition: PresetDefinition,
  entries: readonly PresetAcceptedIssuer[] | undefined,
  at: string,
  known: ReadonlySet<string>,
): void {
  entries?.forEach((entry, j) => {
    const url = acceptedIssuerUrl(entry);
    if (!onHost(url, definition.hosts)) {
      fail(definition.name, `${at}[${j}]`, 'expected a URL on one of the preset hosts', url);
    }
    if (typeof entry === 'string') return;
    entry.facts.forEach((id, k) => {
      if (!known.has(id)) fail(definition.name, `${at}[${j}].facts[${k}]`, `unknown fact id "${id}"`, id);
    });
  });
}

function checkPolicies(
  definition: PresetDefinition,
  policies: readonly PresetIssuerPolicy[],
  base: string,
  known: ReadonlySet<string>,
): void {
  policies.forEach((policy, i) => {
    const at = `${base}[${i}]`;
    const matchUrl = 'exact' in policy.match ? policy.match.exact : policy.match.prefix;
    const matchKey = 'exact' in policy.match ? 'exact' : 'prefix';
    if (!onHost(matchUrl, definition.hosts)) {
      fail(definition.name, `${at}.match.${matchKey}`, 'expected a URL on one of the preset hosts', matchUrl);
    }
    checkAccepted(definition, policy.acceptedIssuers, `${at}.acceptedIssuers`, known);
    if (policy.metadataUrl !== undefined && !onHost(policy.metadataUrl, definition.hosts)) {
      fail(
        definition.name,
        `${at}.metadataUrl`,
        'expected a URL on one of the preset hosts',
        policy.metadataUrl,
      );
    }
    policy.facts.forEach((id, j) => {
      if (!known.has(id)) fail(definition.name, `${at}.facts[${j}]`, `unknown fact id "${id}"`, id);
    });
  });
}

/**
 * Validates a preset definition: its shape (unknown keys are errors), kebab-case names and fact ids,
 * real `YYYY-MM-DD` dates (or `YYYY-MM`, `YYYY`), absolute URLs, unique fact ids, every cited fact id defined, and every issuer,
 * accepted issuer, policy match, metadata URL and resource-identifier exception on one of the definition's `hosts`
 * (so a hosts override moves all of them).
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` naming the key path (`resources[0].issuers[0].issuer: …`).
 */
export function validatePresetDefinition(definition: PresetDefinition): PresetDefinition {
  const parsed = definitionSchema.safeParse(definition);
  const label = typeof definition?.name === 'string' ? `preset ${definition.name}` : 'preset definition';
  if (!parsed.success) throw invalidConfigError(label, parsed.error);

  const known = new Set<string>();
  definition.facts.forEach((fact, i) => {
    if (known.has(fact.id))
      fail(definition.name, `facts[${i}].id`, `duplicate fact id "${fact.id}"`, fact.id);
    known.add(fact.id);
  });
  definition.resources?.forEach((resource, i) => {
    const at = `resources[${i}]`;
    resource.facts.forEach((id, j) => {
      if (!known.has(id)) fail(definition.name, `${at}.facts[${j}]`, `unknown fact id "${id}"`, id);
    });
    resource.issuers?.forEach((candidate, j) => {
      if (!onHost(candidate.issuer, definition.hosts)) {
        const url = candidate.issuer;
        fail(definition.name, `${at}.issuers[${j}].issuer`, 'expected a URL on one of the preset hosts', url);
      }
      checkAccepted(definition, candidate.acceptedIssuers, `${at}.issuers[${j}].acceptedIssuers`, known);
    });
    resource.resourceIdentifierExceptions?.forEach((exception, j) => {
      const key = `${at}.resourceIdentifierExceptions[${j}]`;
      if (!onHost(exception.resource, definition.hosts)) {
        fail(
          definition.name,
          `${key}.resource`,
          'expected a URL on one of the preset hosts',
          exception.resource,
        );
      }
      exception.facts.forEach((id, k) => {
        if (!known.has(id)) fail(definition.name, `${key}.facts[${k}]`, `unknown fact id "${id}"`, id);
      });
    });
    checkPolicies(definition, resource.issuerPolicies ?? [], `${at}.issuerPolicies`, known);
  });
  checkPolicies(definition, definition.issuerPolicies ?? [], 'issuerPolicies', known);
  return definition;
}
