import {
  DiscoveryError,
  type DiscoveryResult,
  type DiscoveryStrategy,
  ErrorCodes,
  issuersMatch,
  normalizeResource,
} from '@oauth-discovery/core';

const SOURCE = 'aggregator:issuer-pin';

/**
 * A strategy that puts the issuer an operator pinned for an upstream first among the candidates, so
 * RFC 8414 / OIDC look it up (with the strict issuer check) before anything the resource names.
 * Resources without a pin are skipped.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3
 */
export function issuerPinStrategy(pins: ReadonlyMap<string, string>) {
  return {
    name: SOURCE,
    contributes: ['issuers'],
    async run(ctx) {
      const pinned = pins.get(normalizeResource(ctx.state.resource));
      if (pinned === undefined) return { status: 'skipped', reason: 'no issuer pinned for this upstream' };
      return {
        status: 'found',
        contribution: { issuers: [{ issuer: pinned, source: SOURCE }] },
        notes: [`issuer ${pinned} pinned in the aggregator configuration`],
      };
    },
  } satisfies DiscoveryStrategy;
}

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
