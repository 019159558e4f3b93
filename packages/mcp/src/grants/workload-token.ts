import { readFile } from 'node:fs/promises';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import type { TokenSource } from './options.js';

function unusable(what: string, where: string, why: string, cause?: unknown): DiscoveryError {
  return new DiscoveryError(ErrorCodes.INVALID_CONFIG, `The ${what} from ${where} ${why}`, {
    url: where,
    expected: `a ${what} (a JWT)`,
    actual: why,
    cause,
  });
}

/** Where a token source reads from, for messages (never the token itself). */
export function describeTokenSource(source: TokenSource): string {
  if (typeof source === 'function') return 'a function';
  if ('file' in source) return `file ${source.file}`;
  if ('env' in source) return `$${source.env}`;
  return 'a value';
}

/**
 * A token source is one of the four shapes (checked when the options are given, read at each grant).
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` naming the grant and the option.
 */
export function assertTokenSource(source: unknown, grant: string, option: string): void {
  const fields = typeof source === 'object' && source !== null ? Object.keys(source) : [];
  const shaped =
    typeof source === 'function' ||
    (fields.length === 1 &&
      ['file', 'env', 'value'].includes(fields[0] as string) &&
      typeof (source as Record<string, unknown>)[fields[0] as string] === 'string');
  if (!shaped) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      `The ${grant} grant's ${option} must be { file }, { env }, { value } or a function`,
      { expected: '{ file: string } | { env: string } | { value: string } | () => string', actual: fields },
    );
  }
}

/**
 * Reads a token from its source now: the file again (a projected service-account token is
 * replaced before it expires), the environment variable as it is now, the value, or the function's
 * result; whitespace around it removed.
 *
 * @param what - what the token is, for messages (`workload token`, `ID token`).
 * @throws {DiscoveryError} `INVALID_CONFIG` for an unreadable file, an unset variable, an empty token
 *   or a function that throws (its error as `cause`).
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 */
export async function readToken(source: TokenSource, what: string): Promise<string> {
  const where = describeTokenSource(source);
  let raw: string | undefined;
  try {
    if (typeof source === 'function') raw = await source();
    else if ('file' in source) raw = await readFile(source.file, 'utf8');
    else if ('env' in source) raw = process.env[source.env];
    else raw = source.value;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw unusable(what, where, `cannot be read (${reason})`, error);
  }
  const token = typeof raw === 'string' ? raw.trim() : '';
  if (token === '') throw unusable(what, where, raw === undefined ? 'is not set' : 'is empty');
  return token;
}
