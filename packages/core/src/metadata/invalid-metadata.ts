import type { z } from 'zod';
import { DiscoveryError, ErrorCodes } from '../errors.js';

const MAX_LISTED_ISSUES = 10;

/** Renders a zod issue path as `authorization_servers[0]`, or `(document)` for the root. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(document)' : out;
}

/**
 * Turns a schema violation into an `INVALID_METADATA` error whose message lists each bad field with its
 * path (at most ten, then a count), keeping the zod error as `cause`.
 */
export function invalidMetadataError(kind: string, url: string, error: z.ZodError): DiscoveryError {
  const problems = error.issues.map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`);
  const listed = problems.slice(0, MAX_LISTED_ISSUES).join('; ');
  const more = problems.length > MAX_LISTED_ISSUES ? `; and ${problems.length - MAX_LISTED_ISSUES} more` : '';
  return new DiscoveryError(ErrorCodes.INVALID_METADATA, `Invalid ${kind} at ${url}: ${listed}${more}`, {
    url,
    expected: `a valid ${kind} document`,
    actual: problems,
    cause: error,
  });
}
