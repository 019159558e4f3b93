import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError, ErrorCode as McpErrorCode } from '@modelcontextprotocol/sdk/types.js';
import {
  DiscoveryError,
  type ErrorCode,
  ErrorCodes,
  isDiscoveryError,
  isSecurityError,
} from '@oauth-discovery/core';
import { FlowErrorCodes } from '@oauth-discovery/mcp';

/** An upstream failure as the status shows it: a stable code and a message for a person. */
export interface UpstreamError {
  readonly code: ErrorCode | 'MCP_ERROR';
  readonly message: string;
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

function causeMessage(error: unknown): string | undefined {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause instanceof Error ? cause.message : undefined;
}

/** True when the upstream answered 401: its tokens are no longer accepted. */
export function isUnauthorized(error: unknown): boolean {
  return (
    (error instanceof StreamableHTTPError && error.code === 401) ||
    (isDiscoveryError(error) && error.code === FlowErrorCodes.LOGIN_REQUIRED)
  );
}

/**
 * True when the upstream could not be reached or broke off — the kind of failure that reconnecting
 * with backoff can heal (as opposed to an MCP error answered by a healthy server, or a 401).
 */
export function isConnectionFailure(error: unknown): boolean {
  // Request timeout, or the session closed under the call (a drop noticed elsewhere meanwhile).
  if (error instanceof McpError)
    return error.code === McpErrorCode.RequestTimeout || error.code === McpErrorCode.ConnectionClosed;
  // 404: the server no longer knows the session; a new one must be initialized (streamable HTTP).
  if (error instanceof StreamableHTTPError)
    return error.code === undefined || error.code >= 500 || error.code === -1 || error.code === 404;
  // From the Authorization header: the authorization server did not answer a refresh.
  if (isDiscoveryError(error)) return error.code !== FlowErrorCodes.LOGIN_REQUIRED;
  return error instanceof Error; // fetch's TypeError('fetch failed'), aborts, socket errors
}

/** Maps whatever a discovery, a login or an MCP connection threw onto a stable code and a message. */
export function toUpstreamError(error: unknown): UpstreamError {
  if (isDiscoveryError(error)) return { code: error.code, message: error.message };
  if (error instanceof StreamableHTTPError) {
    if (error.code === 401)
      return {
        code: FlowErrorCodes.LOGIN_REQUIRED,
        message: `the upstream refused the access token (HTTP 401): ${error.message}`,
      };
    return { code: ErrorCodes.HTTP_ERROR, message: error.message };
  }
  if (error instanceof McpError) {
    return error.code === McpErrorCode.RequestTimeout
      ? { code: ErrorCodes.TIMEOUT, message: error.message }
      : { code: 'MCP_ERROR', message: error.message };
  }
  const code = causeCode(error);
  // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, bad port, …).
  const why = code ?? causeMessage(error);
  const message = error instanceof Error ? `${error.message}${why ? ` (${why})` : ''}` : String(error);
  if (
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'ETIMEDOUT' ||
    (error as Error | undefined)?.name === 'TimeoutError'
  )
    return { code: ErrorCodes.TIMEOUT, message };
  return { code: ErrorCodes.NETWORK_ERROR, message };
}

/**
 * A refused client registration, told in the aggregator's terms: the library's advice names command
 * line flags (`--client-id`); here the fix is the upstream's configuration keys.
 */
export function withConfigAdvice(
  error: unknown,
  where: { readonly key: string; readonly issuer: string; readonly redirectUri: string },
): unknown {
  if (!isDiscoveryError(error) || error.code !== FlowErrorCodes.REGISTRATION_REFUSED) return error;
  const cut = error.message.search(/\s*Register an OAuth client /);
  const what = (cut >= 0 ? error.message.slice(0, cut) : error.message).replace(/\.?$/, '.');
  return new DiscoveryError(
    error.code,
    `${what} Register an OAuth client with ${where.issuer} yourself (redirect URI ${where.redirectUri}), ` +
      `then set ${where.key}.auth.clientId to its id (and ${where.key}.auth.clientSecretEnv to the environment variable holding its secret, if it has one) and restart the aggregator.`,
    {
      url: error.url,
      trace: error.trace,
      expected: error.expected,
      actual: error.actual,
      cause: error,
    },
  );
}

/** Errors after which retrying cannot help until the configuration changes. */
export function retryable(error: unknown): boolean {
  if (isSecurityError(error)) return false;
  return !(isDiscoveryError(error) && error.code === ErrorCodes.INVALID_CONFIG);
}

/** A refused or missing login (`LOGIN_REQUIRED`): a person must log in, retrying cannot help. */
export const isLoginRequired = (error: unknown): boolean =>
  isDiscoveryError(error) && error.code === FlowErrorCodes.LOGIN_REQUIRED;

/** `auth_login` / `auth_logout` of an upstream that does not use OAuth. */
export function notOAuth(name: string, type: string, what: 'log in to' | 'log out of'): McpError {
  return new McpError(
    McpErrorCode.InvalidParams,
    `Upstream "${name}" uses auth ${type}, not OAuth: there is nothing to ${what}`,
  );
}
