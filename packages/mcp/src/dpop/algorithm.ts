import { DiscoveryError, type DiscoveryResult } from '@oauth-discovery/core';
import { FlowErrorCodes } from '../error-codes.js';
import type { DPoPAlgorithm, DPoPPolicy } from './options.js';

/** `dpop_signing_alg_values_supported` of the authorization server, when it is a list of strings. */
function advertised(result: DiscoveryResult): readonly string[] | undefined {
  const value: unknown = (result.authorizationServer.metadata as Record<string, unknown>)
    .dpop_signing_alg_values_supported;
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

/**
 * The algorithms this client may sign DPoP proofs with for an authorization server, best first: the
 * policy's algorithms that the server lists in `dpop_signing_alg_values_supported`. A server that
 * lists none: all of the policy's (`always`), or no DPoP (`when-supported`).
 *
 * @returns the algorithms, or `undefined` when DPoP is not used with this server.
 * @throws {DiscoveryError} `AUTHORIZATION_FAILED` when the server lists algorithms and none is ours.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5.1
 */
export function usableDPoPAlgorithms(
  result: DiscoveryResult,
  policy: DPoPPolicy | undefined,
): readonly DPoPAlgorithm[] | undefined {
  if (policy === undefined) return undefined;
  const listed = advertised(result);
  if (listed === undefined) return policy.when === 'always' ? policy.algorithms : undefined;
  const common = policy.algorithms.filter((alg) => listed.includes(alg));
  if (common.length > 0) return common;
  const { issuer, metadataUrl } = result.authorizationServer;
  throw new DiscoveryError(
    FlowErrorCodes.AUTHORIZATION_FAILED,
    `Authorization server ${issuer} signs DPoP proofs with ${listed.join(', ') || 'no algorithm'}; this client with ${policy.algorithms.join(', ')}: no algorithm in common`,
    {
      url: metadataUrl ?? issuer,
      expected: `one of ${policy.algorithms.join(', ')} in dpop_signing_alg_values_supported`,
      actual: listed,
    },
  );
}
