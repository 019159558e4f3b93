/**
 * The cache (and single-flight) key of a discovery: the normalised resource plus the challenge the
 * caller passed, so that a discovery with a new `WWW-Authenticate` challenge (e.g. a step-up with a
 * larger scope) is never answered from a result found without it.
 */
export function discoveryCacheKey(resource: string, challenge?: string, challengeStatus?: number): string {
  if (challenge === undefined) return resource;
  return `${resource}\n${challengeStatus ?? ''}\n${challenge}`;
}
