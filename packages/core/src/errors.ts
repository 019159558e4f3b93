import type { DiscoveryTrace, HttpAttempt } from './trace/types.js';

/**
 * Every error code the project raises, with what it means. Codes are stable: match on them, not
 * on messages. Documented for users in `docs/errors.md`.
 */
export const ErrorCodes = {
  /** No strategy found authorization server metadata; the trace says what each one tried. */
  DISCOVERY_FAILED: 'DISCOVERY_FAILED',
  /** No protected resource metadata at any URL tried (RFC 9728 §3). */
  RESOURCE_METADATA_NOT_FOUND: 'RESOURCE_METADATA_NOT_FOUND',
  /** No authorization server metadata at any URL tried (RFC 8414 §3, OIDC Discovery §4). */
  AUTHORIZATION_SERVER_METADATA_NOT_FOUND: 'AUTHORIZATION_SERVER_METADATA_NOT_FOUND',
  /** Security: the PRM `resource` does not identify the requested resource (RFC 9728 §3.3). */
  RESOURCE_MISMATCH: 'RESOURCE_MISMATCH',
  /** Security: the AS metadata `issuer` is not the issuer its URL was built from (RFC 8414 §3.3). */
  ISSUER_MISMATCH: 'ISSUER_MISMATCH',
  /** Security: the host resolved to a private, loopback, link-local, multicast or unspecified address (RFC 9728 §7.7). */
  BLOCKED_ADDRESS: 'BLOCKED_ADDRESS',
  /** Security: a plain `http:` URL for a host that is not loopback, or a non-HTTP(S) scheme. */
  INSECURE_URL: 'INSECURE_URL',
  /** Security: a redirect to another origin while only same-origin redirects are allowed. */
  CROSS_ORIGIN_REDIRECT: 'CROSS_ORIGIN_REDIRECT',
  /** More redirects than allowed, or a redirect loop. */
  TOO_MANY_REDIRECTS: 'TOO_MANY_REDIRECTS',
  /** The response body is larger than the cap. */
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
  /** A 2xx response whose content type is not JSON. */
  UNEXPECTED_CONTENT_TYPE: 'UNEXPECTED_CONTENT_TYPE',
  /** A 2xx JSON response whose body does not parse. */
  INVALID_JSON: 'INVALID_JSON',
  /** A document that parses but violates its schema (zod error as `cause`). */
  INVALID_METADATA: 'INVALID_METADATA',
  /** An unexpected HTTP status where a document was required. */
  HTTP_ERROR: 'HTTP_ERROR',
  /** The connection could not be made or broke (refused, reset, DNS failure). */
  NETWORK_ERROR: 'NETWORK_ERROR',
  /** A per-request timeout (connect, headers or body) elapsed. */
  TIMEOUT: 'TIMEOUT',
  /** The overall discovery deadline elapsed. */
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  /** The caller's `AbortSignal` fired. */
  ABORTED: 'ABORTED',
  /** A URL given by the caller or found in metadata is not a valid absolute URL. */
  INVALID_URL: 'INVALID_URL',
  /** Configuration (options, static config file, preset options) is invalid; the message names the key. */
  INVALID_CONFIG: 'INVALID_CONFIG',
  /** A strategy threw something other than a `DiscoveryError` (a bug in the strategy); the runner went on with the next one. */
  STRATEGY_ERROR: 'STRATEGY_ERROR',
  /** Security: the authorization server does not advertise PKCE S256 and no hint says it supports it (MCP 2025-11-25). */
  PKCE_NOT_SUPPORTED: 'PKCE_NOT_SUPPORTED',
  /** A token store file could not be read or parsed; it was moved aside (the message names both files). */
  STORE_CORRUPT: 'STORE_CORRUPT',
  /** A store lock was not acquired within the wait allowed (`withLock`'s `waitMs`); another holder kept it. */
  STORE_LOCK_TIMEOUT: 'STORE_LOCK_TIMEOUT',
  /** An encrypted store record names a key id that is not in the keyring (the key was removed or never configured). */
  STORE_KEY_MISSING: 'STORE_KEY_MISSING',
  /** Security: an encrypted store record's key id is in the keyring with other key material than the record was written with. */
  STORE_WRONG_KEY: 'STORE_WRONG_KEY',
  /** Security: an encrypted store record failed authentication (changed, truncated, or moved to another store key). */
  STORE_TAMPERED: 'STORE_TAMPERED',
  /** The store's backend failed (Redis unreachable or refusing, a file system error); `cause` is the driver's error. */
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
} as const;

/**
 * The codes of the one error class, by the package that raises them. Core's are {@link ErrorCodes};
 * a package that raises its own declares them by merging into this interface
 * (`@oauth-discovery/mcp` adds the OAuth flow's, `FlowErrorCodes`):
 *
 * ```ts
 * declare module '@oauth-discovery/core' {
 *   interface ErrorCodeRegistry { readonly flow: FlowErrorCode }
 * }
 * ```
 */
export interface ErrorCodeRegistry {
  readonly discovery: (typeof ErrorCodes)[keyof typeof ErrorCodes];
}

/** Any error code: core's and those the other packages declare in {@link ErrorCodeRegistry}. */
export type ErrorCode = ErrorCodeRegistry[keyof ErrorCodeRegistry];

/**
 * Codes that mean "refused for a security reason", wherever they are raised (`STATE_MISMATCH` is the
 * OAuth flow's, in `@oauth-discovery/mcp`). Fallback logic never swallows these.
 */
export const SECURITY_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<string>([
  ErrorCodes.RESOURCE_MISMATCH,
  ErrorCodes.ISSUER_MISMATCH,
  ErrorCodes.BLOCKED_ADDRESS,
  ErrorCodes.INSECURE_URL,
  ErrorCodes.CROSS_ORIGIN_REDIRECT,
  ErrorCodes.PKCE_NOT_SUPPORTED,
  'STATE_MISMATCH',
  ErrorCodes.STORE_WRONG_KEY,
  ErrorCodes.STORE_TAMPERED,
]) as ReadonlySet<ErrorCode>;

/** Structured context of an error: what was asked, what was expected, what came. */
export interface ErrorContext {
  readonly url?: string | undefined;
  readonly expected?: unknown;
  readonly actual?: unknown;
  readonly cause?: unknown;
  readonly trace?: DiscoveryTrace | undefined;
  /** The HTTP attempt that failed, when the error comes from the HTTP client (so failed attempts are traced too). */
  readonly attempt?: HttpAttempt | undefined;
}

/**
 * The one error class of the project. `code` is stable; `url`, `expected` and `actual` say what
 * was asked and what came; `trace` (on errors from `discover()`) says everything that was tried.
 */
export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
  readonly code: ErrorCode;
  readonly url: string | undefined;
  readonly expected: unknown;
  readonly actual: unknown;
  trace: DiscoveryTrace | undefined;
  /** The failed HTTP attempt (method, URL, status if any, duration, outcome), set by the HTTP client. */
  attempt: HttpAttempt | undefined;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.url = context.url;
    this.expected = context.expected;
    this.actual = context.actual;
    this.trace = context.trace;
    this.attempt = context.attempt;
  }

  /** True for codes in {@link SECURITY_ERROR_CODES}. */
  get isSecurityError(): boolean {
    return SECURITY_ERROR_CODES.has(this.code);
  }

  /** A plain object for logs and `--json` output. */
  toJSON(): {
    code: ErrorCode;
    message: string;
    url?: string | undefined;
    expected?: unknown;
    actual?: unknown;
  } {
    return {
      code: this.code,
      message: this.message,
      url: this.url,
      expected: this.expected,
      actual: this.actual,
    };
  }
}

/** Narrows `error` to a {@link DiscoveryError}, optionally of one code. */
export function isDiscoveryError(error: unknown, code?: ErrorCode): error is DiscoveryError {
  return error instanceof DiscoveryError && (code === undefined || error.code === code);
}

/** True when `error` is a {@link DiscoveryError} that must stop discovery (never swallowed by fallback). */
export function isSecurityError(error: unknown): error is DiscoveryError {
  return error instanceof DiscoveryError && error.isSecurityError;
}
