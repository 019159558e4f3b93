import { DiscoveryError, type DiscoveryResult, ErrorCodes, issuersMatch } from '@oauth-discovery/core';

/**
 * Enforces a pin after discovery: the accepted authorization server must be the pinned issuer.
 *
 * @throws {DiscoveryError} `ISSUER_MISMATCH` naming both, with the discovery trace.
 */
export function assertPinnedIssuer(result: DiscoveryResult, pinned: string | undefined): void {
  if (pinned === undefined || issuersMatch(result.authorizationServer.issuer, pinned)) return;
  throw new DiscoveryError(
    ErrorCodes.ISSUER_MISMATCH,
    `Upstream ${result.resource}: discovery ended at issuer ${result.authorizationServer.issuer}, but the configuration pins ${pinned}`,
    {
      url: result.authorizationServer.metadataUrl ?? result.authorizationServer.issuer,
      expected: pinned,
      actual: result.authorizationServer.issuer,
      trace: result.trace,
    },
  );
}
