import type { z } from 'zod';
import { DiscoveryError, ErrorCodes } from '../errors.js';
import type { HttpResponse } from '../types.js';

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

/** True for a 2xx status. */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * The JSON body of a 2xx response, or `INVALID_METADATA` when there is none (the request was not made
 * with `expect: 'json'`, or the body was empty).
 */
export function jsonBody(kind: string, response: HttpResponse): unknown {
  if (response.json === undefined) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_METADATA,
      `Invalid ${kind} at ${response.url}: the ${response.status} response has no JSON body`,
      { url: response.url, expected: 'a JSON object', actual: response.text.slice(0, 200) },
    );
  }
  return response.json;
}
