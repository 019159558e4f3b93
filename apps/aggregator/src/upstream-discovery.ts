import { DiscoveryError, type DiscoveryResult, ErrorCodes } from '@oauth-discovery/core';
import type { UpstreamConfig } from './config.js';
import { assertPinnedIssuer, assertPreset, withConfiguredScopes } from './discovery-checks.js';
import type { TokenKeeper } from './tokens.js';

/** What discovering an upstream's authorization server needs. */
export interface UpstreamDiscoveryDeps {
  /** Discovery through the shared pipeline; `fresh` bypasses its result cache. */
  readonly discover: (url: string, fresh: boolean) => Promise<DiscoveryResult>;
  readonly tokens: TokenKeeper;
}

/**
 * An upstream's discovery: a result to use, or a failure and whether retrying can help. Exceptions
 * (the pipeline's `DiscoveryError`s: unreachable, 5xx, bad metadata, security errors) are thrown.
 */
export type UpstreamDiscovery =
  | { readonly ok: true; readonly result: DiscoveryResult }
  | { readonly ok: false; readonly error: DiscoveryError; readonly retry: boolean };

function notYetDiscovered(config: UpstreamConfig, found: DiscoveryResult): DiscoveryError {
  return new DiscoveryError(
    ErrorCodes.AUTHORIZATION_SERVER_METADATA_NOT_FOUND,
    `Upstream ${config.name}: discovery found no authorization server metadata for ${config.url} ` +
      `(only the MCP 2025-03-26 default endpoints at ${found.authorizationServer.issuer} could be guessed); ` +
      'it is retried with backoff, and auth_login tries again and then logs in with the guessed endpoints',
    {
      url: config.url,
      expected: 'published authorization server metadata',
      actual: 'guessed default endpoints',
      trace: found.trace,
    },
  );
}

/**
 * Why a guessed result is no honest "there is no metadata": some request got no answer, or a 5xx,
 * 408 or 429 — the server was down or struggling, not saying "not here". (Discovery that fails such
 * cases itself throws instead; this keeps the aggregator honest with a discovery that still guesses.)
 */
function unreachable(config: UpstreamConfig, found: DiscoveryResult): DiscoveryError | undefined {
  const attempts = found.trace.steps.flatMap((step) => step.attempts).filter((a) => a.outcome !== 'aborted');
  const broken =
    attempts.find((a) => a.outcome === 'error') ??
    attempts.find((a) => a.status !== undefined && (a.status >= 500 || a.status === 408 || a.status === 429));
  if (broken === undefined && attempts.some((a) => a.status !== undefined)) return undefined;
  const why = broken?.error ?? {
    code: broken?.status === undefined ? ErrorCodes.NETWORK_ERROR : ErrorCodes.HTTP_ERROR,
    message: broken?.status === undefined ? 'no answer' : `HTTP ${broken.status}`,
  };
  return new DiscoveryError(
    why.code,
    `Upstream ${config.name}: discovery could not reach ${broken?.url ?? config.url} (${why.message}); ` +
      'nothing is guessed from that, it is retried with backoff',
    { url: broken?.url ?? config.url, expected: 'an answer', actual: why.message, trace: found.trace },
  );
}

/**
 * Discovers an upstream's authorization server and applies the operator's checks (pinned issuer,
 * preset, scopes). A guessed result made of an unreachable server is the transport's error (retried). A
 * guess after a real "not here" (no metadata anywhere: the MCP 2025-03-26 default endpoints) is
 * "not discovered yet" too — failed, retried — unless `acceptGuess` (a person ran `auth_login`) or tokens
 * from an earlier login with those very endpoints are stored. So an upstream that was down never keeps
 * a guess, and once its real issuer is known, the tokens stored for that issuer are found again.
 *
 * @see https://modelcontextprotocol.io/specification/2025-03-26/basic/authorization#fallbacks-for-servers-without-metadata-discovery
 */
export async function discoverUpstream(
  deps: UpstreamDiscoveryDeps,
  config: UpstreamConfig,
  options: { readonly fresh: boolean; readonly acceptGuess: boolean },
): Promise<UpstreamDiscovery> {
  const { auth } = config;
  if (auth.type !== 'oauth') throw new TypeError(`upstream ${config.name} does not use OAuth`);
  const found = await deps.discover(config.url, options.fresh);
  if (found.guessed) {
    const down = unreachable(config, found);
    if (down !== undefined) return { ok: false, error: down, retry: true };
  }
  if (found.guessed && !options.acceptGuess) {
    const usable = (await deps.tokens.loginNeeded(withConfiguredScopes(found, auth.scopes))) === undefined;
    if (!usable) return { ok: false, error: notYetDiscovered(config, found), retry: true };
  }
  try {
    assertPinnedIssuer(found, auth.issuer);
  } catch (mismatch) {
    // Discovery only ends elsewhere when the pinned server did not answer (static configuration tries
    // it first): retried, so the upstream comes back when that server does.
    return { ok: false, error: mismatch as DiscoveryError, retry: true };
  }
  assertPreset(found, auth.preset);
  return { ok: true, result: withConfiguredScopes(found, auth.scopes) };
}
