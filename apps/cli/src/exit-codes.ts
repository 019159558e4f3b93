import type { ErrorCode } from '@oauth-discovery/core';

/**
 * Exit codes of the `oauth-discovery` command. Stable: scripts may branch on them.
 *
 * - `0` success;
 * - `1` discovery or connection failed (nothing found, network, bad metadata, a tool error, `check`
 *   found errors);
 * - `2` usage error (unknown command or flag, bad flag value, bad config file, unknown preset);
 * - `3` refused for a security reason (`ISSUER_MISMATCH`, `RESOURCE_MISMATCH`, `BLOCKED_ADDRESS`, …);
 * - `4` authorization failed (registration refused, authorization or token request failed, step-up
 *   limit, login required, unreadable token store).
 */
export const ExitCodes = {
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  SECURITY: 3,
  AUTHORIZATION: 4,
} as const;

/** One of {@link ExitCodes}. */
export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];

// String literals, not `ErrorCodes` from core: this module is loaded for `--version` and must stay light.
/** The error codes that exit 3 (refused for a security reason). */
export const SECURITY_CODES: readonly ErrorCode[] = [
  'RESOURCE_MISMATCH',
  'ISSUER_MISMATCH',
  'BLOCKED_ADDRESS',
  'INSECURE_URL',
  'CROSS_ORIGIN_REDIRECT',
  'PKCE_NOT_SUPPORTED',
  'STATE_MISMATCH',
  'STORE_WRONG_KEY',
  'STORE_TAMPERED',
];

/** The error codes that exit 4 (authorization failed). */
export const AUTHORIZATION_CODES: readonly ErrorCode[] = [
  'REGISTRATION_REFUSED',
  'AUTHORIZATION_FAILED',
  'TOKEN_REQUEST_FAILED',
  'STEP_UP_LIMIT',
  'LOGIN_REQUIRED',
  'STORE_CORRUPT',
];

const SECURITY: ReadonlySet<string> = new Set(SECURITY_CODES);
const AUTHORIZATION: ReadonlySet<string> = new Set(AUTHORIZATION_CODES);

const usageErrors = new WeakSet<object>();

/** Marks an error as caused by the command line itself (exit 2), whatever its code. Returns it. */
export function markUsageError<T extends object>(error: T): T {
  usageErrors.add(error);
  return error;
}

/** The stable error code of `error` (`DiscoveryError.code`), or `undefined` for other errors. */
export function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return error instanceof Error && error.name === 'DiscoveryError' && typeof code === 'string'
    ? code
    : undefined;
}

/**
 * What the CLI shows of an error, on stderr (`error CODE: message`) and in `--json`: the
 * `DiscoveryError` code, else the error's class name (`TypeError`, the MCP SDK's
 * `StreamableHTTPError`), else `ERROR`.
 */
export function describeError(error: unknown): { readonly code: string; readonly message: string } {
  const named = error instanceof Error && error.name !== 'Error' ? error.name : 'ERROR';
  return {
    code: errorCodeOf(error) ?? named,
    message: error instanceof Error ? error.message : String(error),
  };
}

/** The exit code for an error that ended a command. */
export function exitCodeFor(error: unknown): ExitCode {
  if (typeof error === 'object' && error !== null && usageErrors.has(error)) return ExitCodes.USAGE;
  const code = errorCodeOf(error);
  if (code === undefined) {
    // The MCP SDK's own authorization error, when it surfaces.
    return error instanceof Error && error.name === 'UnauthorizedError'
      ? ExitCodes.AUTHORIZATION
      : ExitCodes.FAILED;
  }
  if (SECURITY.has(code)) return ExitCodes.SECURITY;
  if (code === 'INVALID_CONFIG') return ExitCodes.USAGE;
  if (AUTHORIZATION.has(code)) return ExitCodes.AUTHORIZATION;
  return ExitCodes.FAILED;
}
