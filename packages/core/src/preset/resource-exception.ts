import { resourcesMatch } from '../metadata/resource.js';
import type { ResourceIdentifierException } from '../types.js';

/**
 * The exception (contributed by a preset for the resource being discovered) that lets protected
 * resource metadata name `advertised` as its resource, or `undefined`: then the RFC 9728 §3.3 check
 * stands and the mismatch is `RESOURCE_MISMATCH`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.3
 */
export function findResourceIdentifierException(
  exceptions: readonly ResourceIdentifierException[] | undefined,
  advertised: string,
): ResourceIdentifierException | undefined {
  return exceptions?.find((exception) => resourcesMatch(exception.resource, advertised));
}

/** The trace line of a relaxation: who allowed it and the fact (with its date and source) it rests on. */
export function describeResourceIdentifierException(
  exception: ResourceIdentifierException,
  metadataUrl: string,
  requested: string,
): string {
  return `relaxation: the metadata at ${metadataUrl} names ${exception.resource} as its resource, not ${requested}; accepted by ${exception.source} (RFC 9728 §3.3 exception): ${exception.because}`;
}
