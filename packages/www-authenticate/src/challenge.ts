import type { ResourceChallenge } from '@oauth-discovery/core';
import type { Challenge } from './parse.js';

function hasParam(challenge: Challenge, name: string): boolean {
  return Object.hasOwn(challenge.params, name);
}

function param(challenge: Challenge, name: string): string | undefined {
  return hasParam(challenge, name) ? challenge.params[name] : undefined;
}

function ofScheme(challenges: readonly Challenge[], scheme: string): Challenge | undefined {
  const matching = challenges.filter((c) => c.scheme.toLowerCase() === scheme);
  return matching.find((c) => hasParam(c, 'resource_metadata')) ?? matching[0];
}

/**
 * Picks the challenge that speaks for the protected resource and extracts what discovery needs.
 *
 * Choice, in order: a `Bearer` challenge (RFC 6750 §3), else a `DPoP` challenge (RFC 9449 §7.1),
 * else the first challenge of any scheme with a `resource_metadata` parameter (RFC 9728 §5.1).
 * Within a scheme, one with `resource_metadata` is preferred over the first one. Scheme names
 * compare case-insensitively. Returns `undefined` when no challenge qualifies (e.g. only `Basic`).
 *
 * `scope` is split on spaces; an empty `scope` is treated as absent.
 *
 * @param challenges - From {@link parseWwwAuthenticate}.
 * @param status - HTTP status of the response that carried the header (401 or 403), if known.
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-5.1
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function toResourceChallenge(
  challenges: readonly Challenge[],
  status?: number,
): ResourceChallenge | undefined {
  const chosen =
    ofScheme(challenges, 'bearer') ??
    ofScheme(challenges, 'dpop') ??
    challenges.find((c) => hasParam(c, 'resource_metadata'));
  if (chosen === undefined) return undefined;

  const resourceMetadata = param(chosen, 'resource_metadata');
  const scope = param(chosen, 'scope')
    ?.split(' ')
    .filter((s) => s.length > 0);
  const error = param(chosen, 'error');
  const errorDescription = param(chosen, 'error_description');
  return {
    scheme: chosen.scheme,
    resourceMetadata,
    scope: scope?.length === 0 ? undefined : scope,
    error,
    errorDescription,
    status,
    params: { ...chosen.params },
  };
}
