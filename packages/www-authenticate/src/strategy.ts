import {
  type DiscoveryStrategy,
  ErrorCodes,
  type HttpResponse,
  type ResourceChallenge,
  type StrategyContext,
  type StrategyOutcome,
} from '@oauth-discovery/core';
import { isMissError } from '@oauth-discovery/core/strategy-kit';
import { toResourceChallenge } from './challenge.js';
import { type Challenge, parseWwwAuthenticate } from './parse.js';

/** Options of the {@link wwwAuthenticate} strategy. */
export interface WwwAuthenticateOptions {
  /**
   * When the caller passed no `WWW-Authenticate` header, send one unauthenticated MCP request to
   * the resource to get a 401/403 challenge. Default `true`.
   */
  readonly probe?: boolean;
  /** `clientInfo` sent in the probe's `initialize` request. */
  readonly clientInfo?: { readonly name: string; readonly version: string };
}

/** MCP protocol revision announced by the probe's `initialize` request. */
export const PROBE_PROTOCOL_VERSION = '2025-11-25';

/** `clientInfo` the probe sends unless {@link WwwAuthenticateOptions.clientInfo} overrides it. */
export const DEFAULT_PROBE_CLIENT_INFO: { readonly name: string; readonly version: string } = {
  name: 'oauth-discovery',
  version: '0.0.0',
};

/**
 * The body and headers of the unauthenticated MCP probe: a JSON-RPC `initialize` request as a
 * streamable HTTP client sends it first, so a server that guards only real MCP traffic answers 401.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#sending-messages-to-the-server
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-server-location
 */
export function buildProbeRequest(
  clientInfo: { readonly name: string; readonly version: string } = DEFAULT_PROBE_CLIENT_INFO,
): {
  readonly method: 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
} {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: PROBE_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: clientInfo.name, version: clientInfo.version },
      },
    }),
  };
}

function schemesOf(challenges: readonly Challenge[]): string {
  return challenges.length === 0 ? 'none parsed' : challenges.map((c) => c.scheme).join(', ');
}

function found(ctx: StrategyContext, challenge: ResourceChallenge, source: string): StrategyOutcome {
  const parts = [
    challenge.resourceMetadata === undefined
      ? 'no resource_metadata'
      : `resource_metadata ${challenge.resourceMetadata}`,
    ...(challenge.scope === undefined ? [] : [`scope "${challenge.scope.join(' ')}"`]),
    ...(challenge.error === undefined ? [] : [`error ${challenge.error}`]),
  ];
  ctx.note(`${challenge.scheme} challenge from ${source}: ${parts.join(', ')}`);
  return { status: 'found', contribution: { challenge } };
}

/**
 * Reads a probe response: a 401/403 with a usable challenge is `found`; anything else says why not.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-5.1
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function processProbeResponse(
  response: Pick<HttpResponse, 'status' | 'headers'>,
): { readonly challenge: ResourceChallenge } | { readonly reason: string } {
  const { status } = response;
  if (status === 401 || status === 403) {
    const header = response.headers['www-authenticate'];
    if (header === undefined) return { reason: `${status} without WWW-Authenticate` };
    const challenges = parseWwwAuthenticate(header);
    const challenge = toResourceChallenge(challenges, status);
    if (challenge === undefined) {
      return {
        reason: `${status} with no usable challenge in WWW-Authenticate (schemes: ${schemesOf(challenges)})`,
      };
    }
    return { challenge };
  }
  if (status >= 200 && status < 300) {
    return { reason: `resource answered without authentication (${status})` };
  }
  return { reason: `resource answered ${status}, not 401/403` };
}

/**
 * The `www-authenticate` strategy: the resource's challenge (`resource_metadata`, `scope`, `error`).
 *
 * With a header from the caller (`discover(resource, { challenge })`) it only parses it — no request.
 * Otherwise, unless `probe` is `false`, it sends one unauthenticated MCP `initialize` POST to the
 * resource. A 401/403 with a Bearer, DPoP or `resource_metadata` challenge is `found` (also without
 * `resource_metadata`: its scope and error still count); a 401 without the header, a 2xx, another
 * status, or a transport failure (core's `MISS_ERROR_CODES`: refused, timeout, …) is `not-found`
 * with the reason. Everything else is rethrown: security errors, aborts, the overall deadline.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-5.1
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#protected-resource-metadata-discovery-requirements
 */
export const wwwAuthenticate = (options: WwwAuthenticateOptions = {}) =>
  ({
    name: 'www-authenticate',
    contributes: ['challenge'],
    async run(ctx: StrategyContext): Promise<StrategyOutcome> {
      const { state } = ctx;
      if (state.wwwAuthenticate !== undefined) {
        const challenges = parseWwwAuthenticate(state.wwwAuthenticate);
        const challenge = toResourceChallenge(challenges, state.wwwAuthenticateStatus);
        if (challenge === undefined) {
          return {
            status: 'not-found',
            reason: `WWW-Authenticate given by the caller has no usable challenge (schemes: ${schemesOf(challenges)})`,
          };
        }
        return found(ctx, challenge, 'the caller');
      }
      if (options.probe === false) {
        return { status: 'skipped', reason: 'no WWW-Authenticate given and probing is off' };
      }

      const request = buildProbeRequest(options.clientInfo);
      let response: HttpResponse;
      try {
        response = await ctx.http.request(state.resource, { ...request, expect: 'any', signal: ctx.signal });
      } catch (error) {
        // Only "this resource did not answer usefully" is a miss; security errors, aborts and the
        // overall deadline end the discovery.
        if (!isMissError(error) || ctx.signal.aborted) throw error;
        return {
          status: 'not-found',
          reason: `probe POST ${state.resource} failed: ${error.code}: ${error.message}`,
          misses: [{ url: state.resource, label: 'probe', code: error.code, message: error.message }],
        };
      }
      const result = processProbeResponse(response);
      if ('reason' in result) {
        // A resource that answered is an answer (200, 405, …); only a failing one is recorded as a miss.
        const failing = response.status >= 500 || response.status === 408 || response.status === 429;
        const misses = failing
          ? [
              {
                url: state.resource,
                label: 'probe',
                code: ErrorCodes.HTTP_ERROR,
                status: response.status,
                message: `probe POST ${state.resource} answered HTTP ${response.status}`,
              },
            ]
          : undefined;
        return { status: 'not-found', reason: result.reason, misses };
      }
      return found(ctx, result.challenge, `probe POST ${state.resource} → ${response.status}`);
    },
  }) satisfies DiscoveryStrategy;
