import { DiscoveryError, ErrorCodes } from '../errors.js';
import { issuerPolicyFor } from '../issuer-policy.js';
import { pkceSupport } from '../metadata/pkce.js';
import { chooseScopes } from '../metadata/scopes.js';
import { summarizeTraceLines } from '../trace/format.js';
import type { DiscoveryTrace } from '../trace/types.js';
import type { AuthorizationServerFound, DiscoveryResult, DiscoveryState } from '../types.js';
import { mergeHints } from './state.js';

/**
 * The result of a discovery that found its authorization server: scopes per MCP 2025-11-25
 * (challenge, else PRM `scopes_supported`, else hints), PKCE support, and the hints of the state
 * completed by the hints of issuer policies matching the chosen server (state hints win per key).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 */
export function buildResult(
  state: DiscoveryState,
  authorizationServer: AuthorizationServerFound,
  trace: DiscoveryTrace,
): DiscoveryResult {
  const policy = issuerPolicyFor(authorizationServer.issuer, state.issuerPolicies);
  const hints = mergeHints(state.hints, policy.hints);
  return Object.freeze({
    resource: state.resource,
    authorizationServer,
    resourceMetadata: state.resourceMetadata ?? null,
    challenge: state.challenge ?? null,
    issuers: state.issuers,
    scopes: chooseScopes(state.challenge, state.resourceMetadata, hints),
    hints,
    guessed: authorizationServer.issuerCheck === 'guessed',
    pkce: pkceSupport(authorizationServer.metadata, hints),
    trace,
    fromCache: false,
  });
}

/**
 * The `DISCOVERY_FAILED` error: its message names the resource and summarises every path tried,
 * one indented line per step (`  rfc9728: GET … → 404; GET … → 404`); the trace is attached.
 */
export function discoveryFailed(resource: string, trace: DiscoveryTrace): DiscoveryError {
  const lines = summarizeTraceLines(trace);
  const tried = lines.length === 0 ? ': no strategy is configured' : `. Tried:\n  ${lines.join('\n  ')}`;
  return new DiscoveryError(
    ErrorCodes.DISCOVERY_FAILED,
    `No authorization server found for ${resource}${tried}`,
    {
      url: resource,
      expected: 'authorization server metadata',
      trace,
    },
  );
}
