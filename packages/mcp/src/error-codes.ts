/**
 * The error codes the OAuth flow raises (this package, and the apps built on it). They are codes of
 * the one `DiscoveryError` class of `@oauth-discovery/core`: declaring them here adds them to core's
 * `ErrorCode` (`ErrorCodeRegistry`), so `new DiscoveryError(FlowErrorCodes.LOGIN_REQUIRED, …)` and
 * `isDiscoveryError(error, 'LOGIN_REQUIRED')` type-check. Documented for users in `docs/errors.md`;
 * `STATE_MISMATCH` is in core's `SECURITY_ERROR_CODES`.
 */
export const FlowErrorCodes = {
  /** No way to get a client id: dynamic registration is absent or was refused; pass a pre-registered client id (RFC 7591 §3.2.2). */
  REGISTRATION_REFUSED: 'REGISTRATION_REFUSED',
  /** The authorization endpoint answered with an error, or without a code (RFC 6749 §4.1.2.1). */
  AUTHORIZATION_FAILED: 'AUTHORIZATION_FAILED',
  /** The token endpoint refused a code exchange or a refresh, or answered with something that is not a token (RFC 6749 §5.2). */
  TOKEN_REQUEST_FAILED: 'TOKEN_REQUEST_FAILED',
  /** Security: the authorization response's `state` is not the one sent (RFC 6749 §10.12). */
  STATE_MISMATCH: 'STATE_MISMATCH',
  /** The resource kept answering 403 `insufficient_scope` after the allowed number of step-up authorizations. */
  STEP_UP_LIMIT: 'STEP_UP_LIMIT',
  /** Stored tokens are missing or can no longer be refreshed, and interaction is not allowed: the user must log in. */
  LOGIN_REQUIRED: 'LOGIN_REQUIRED',
} as const;

/** One of {@link FlowErrorCodes}. */
export type FlowErrorCode = (typeof FlowErrorCodes)[keyof typeof FlowErrorCodes];

declare module '@oauth-discovery/core' {
  interface ErrorCodeRegistry {
    readonly flow: FlowErrorCode;
  }
}
