import { DiscoveryError, ErrorCodes } from '../errors.js';
import { parseHttpUrl } from '../http/url-policy.js';
import type {
  PresetAcceptedIssuer,
  PresetDefinition,
  PresetIssuerPolicy,
  PresetResource,
  PresetResourceMatch,
} from './types.js';

/** Pairs of `[real origin, replacement origin]`, both without a trailing `/`. */
type OriginMap = readonly (readonly [string, string])[];

function originOf(value: string): string | null {
  return parseHttpUrl(value)?.origin ?? null;
}

function badHosts(name: string, key: string, message: string, actual: unknown): never {
  throw new DiscoveryError(
    ErrorCodes.INVALID_CONFIG,
    `Invalid options of preset ${name}: hosts[${JSON.stringify(key)}]: ${message}`,
    {
      expected: message,
      actual,
    },
  );
}

/**
 * Checks a `hosts` override against the definition: every key must be one of the preset's hosts, every
 * value an origin only (`http://127.0.0.2:41234`, no path).
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` naming the bad key.
 */
export function resolveHostOverrides(
  definition: PresetDefinition,
  hosts: Readonly<Record<string, string>> | undefined,
): OriginMap {
  const known = definition.hosts.map((host) => originOf(host));
  const map: (readonly [string, string])[] = [];
  for (const [from, to] of Object.entries(hosts ?? {})) {
    const fromOrigin = originOf(from);
    if (fromOrigin === null || !known.includes(fromOrigin)) {
      badHosts(definition.name, from, `not a host this preset names (${definition.hosts.join(', ')})`, from);
    }
    const toOrigin = typeof to === 'string' ? originOf(to) : null;
    if (toOrigin === null || toOrigin !== to.replace(/\/$/, '')) {
      badHosts(definition.name, from, 'expected an origin only (scheme, host and port, no path)', to);
    }
    map.push([fromOrigin, toOrigin]);
  }
  return map;
}

/**
 * Moves `value` onto the replacement origin when it starts with a mapped origin (followed by the end,
 * `/`, `?` or `#`). The rest of the string is kept exactly: issuers are compared as exact strings.
 */
export function rewriteUrl(value: string, map: OriginMap): string {
  for (const [from, to] of map) {
    const next = value.charAt(from.length);
    if (value.startsWith(from) && (next === '' || next === '/' || next === '?' || next === '#')) {
      return `${to}${value.slice(from.length)}`;
    }
  }
  return value;
}

function rewriteMatch(match: PresetResourceMatch, map: OriginMap): PresetResourceMatch {
  if (typeof match === 'string') return rewriteUrl(match, map);
  if ('url' in match) return { url: rewriteUrl(match.url, map) };
  if ('prefix' in match) return { prefix: rewriteUrl(match.prefix, map) };
  if ('pattern' in match) return { pattern: rewriteUrl(match.pattern, map) };
  return { ...match, origin: rewriteUrl(match.origin.replace(/\/$/, ''), map) };
}

function rewriteAccepted(list: readonly PresetAcceptedIssuer[], map: OriginMap): PresetAcceptedIssuer[] {
  return list.map((entry) =>
    typeof entry === 'string' ? rewriteUrl(entry, map) : { ...entry, issuer: rewriteUrl(entry.issuer, map) },
  );
}

function rewritePolicy(policy: PresetIssuerPolicy, map: OriginMap): PresetIssuerPolicy {
  const match =
    'exact' in policy.match
      ? { exact: rewriteUrl(policy.match.exact, map) }
      : { prefix: rewriteUrl(policy.match.prefix, map) };
  return {
    ...policy,
    match,
    ...(policy.acceptedIssuers ? { acceptedIssuers: rewriteAccepted(policy.acceptedIssuers, map) } : {}),
    ...(policy.metadataUrl ? { metadataUrl: rewriteUrl(policy.metadataUrl, map) } : {}),
  };
}

function rewriteResource(resource: PresetResource, map: OriginMap): PresetResource {
  return {
    ...resource,
    match: resource.match.map((m) => rewriteMatch(m, map)),
    ...(resource.issuers
      ? {
          issuers: resource.issuers.map((candidate) => ({
            issuer: rewriteUrl(candidate.issuer, map),
            ...(candidate.acceptedIssuers
              ? { acceptedIssuers: rewriteAccepted(candidate.acceptedIssuers, map) }
              : {}),
          })),
        }
      : {}),
    ...(resource.issuerPolicies
      ? { issuerPolicies: resource.issuerPolicies.map((p) => rewritePolicy(p, map)) }
      : {}),
    ...(resource.resourceIdentifierExceptions
      ? {
          resourceIdentifierExceptions: resource.resourceIdentifierExceptions.map((e) => ({
            ...e,
            resource: rewriteUrl(e.resource, map),
          })),
        }
      : {}),
  };
}

/**
 * The definition with every URL on a mapped origin moved to its replacement: resource matchers, issuers,
 * accepted issuers, policy matches and metadata URLs, resource-identifier exceptions, and `hosts` itself. Facts are left as written (they describe the
 * real provider).
 */
export function applyHostOverrides(definition: PresetDefinition, map: OriginMap): PresetDefinition {
  if (map.length === 0) return definition;
  return {
    ...definition,
    hosts: definition.hosts.map((host) => rewriteUrl(host.replace(/\/$/, ''), map)),
    ...(definition.resources
      ? { resources: definition.resources.map((resource) => rewriteResource(resource, map)) }
      : {}),
    ...(definition.issuerPolicies
      ? { issuerPolicies: definition.issuerPolicies.map((p) => rewritePolicy(p, map)) }
      : {}),
  };
}
