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

const RELAXATION = /^relaxation: (.+?) — /;

/**
 * The trace line of a relaxation: `relaxation: <what, by whom> — <details and the fact (with its date and
 * source) it rests on>`. The part before ` — ` is what `trace.relaxations` lists (see {@link relaxationOf}).
 */
export function describeResourceIdentifierException(
  exception: ResourceIdentifierException,
  metadataUrl: string,
  requested: string,
): string {
  return `relaxation: RFC 9728 §3.3 exception by ${exception.source} for ${requested} — the metadata at ${metadataUrl} names ${exception.resource} as its resource; ${exception.because}`;
}

/**
 * The short label of a relaxation note (`RFC 9728 §3.3 exception by preset:hubspot for https://…`), or
 * `undefined` for any other note. The runner adds it to `trace.relaxations`.
 */
export function relaxationOf(note: string): string | undefined {
  return RELAXATION.exec(note)?.[1];
}
