import type { z } from 'zod';
import { DiscoveryError, ErrorCodes } from '../errors.js';
import { formatIssuePath } from '../metadata/invalid-metadata.js';

const MAX_LISTED_ISSUES = 10;

function joinPath(base: string, key: PropertyKey): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '(document)' || base === '' ? String(key) : `${base}.${String(key)}`;
}

/**
 * One line per problem, each starting with the key path (`resources[2].issuer: expected an absolute
 * https URL`). An unknown key is reported at its own path (`resources[0].isuer: unknown key`).
 */
export function configProblems(error: z.ZodError, basePath: readonly PropertyKey[] = []): string[] {
  const lines: string[] = [];
  for (const issue of error.issues) {
    const path = [...basePath, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(`${joinPath(formatIssuePath(path), key)}: unknown key`);
    } else {
      lines.push(`${formatIssuePath(path)}: ${issue.message}`);
    }
  }
  return lines;
}

/**
 * Turns a schema violation of configuration (options, a static config file, a preset definition) into
 * an `INVALID_CONFIG` error whose message names every bad key path, keeping the zod error as `cause`.
 *
 * @param what  what was being validated, first in the message: `static config /etc/od.yaml`, `preset atlassian`.
 */
export function invalidConfigError(
  what: string,
  error: z.ZodError,
  basePath: readonly PropertyKey[] = [],
): DiscoveryError {
  const problems = configProblems(error, basePath);
  const listed = problems.slice(0, MAX_LISTED_ISSUES).join('; ');
  const more = problems.length > MAX_LISTED_ISSUES ? `; and ${problems.length - MAX_LISTED_ISSUES} more` : '';
  return new DiscoveryError(ErrorCodes.INVALID_CONFIG, `Invalid ${what}: ${listed}${more}`, {
    expected: `a valid ${what}`,
    actual: problems,
    cause: error,
  });
}
