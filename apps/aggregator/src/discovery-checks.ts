import { DiscoveryError, type DiscoveryResult, ErrorCodes } from '@oauth-discovery/core';
import { chooseScopes, issuersMatch } from '@oauth-discovery/core/metadata';

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

/**
 * Enforces `auth.preset`: the named preset must have shaped this discovery.
 *
 * @throws {DiscoveryError} `INVALID_CONFIG` naming the preset and what to change.
 */
export function assertPreset(result: DiscoveryResult, preset: string | undefined): void {
  if (preset === undefined) return;
  const applied = result.trace.steps.some(
    (step) => step.strategy === `preset:${preset}` && step.outcome === 'found',
  );
  if (applied) return;
  throw new DiscoveryError(
    ErrorCodes.INVALID_CONFIG,
    `Upstream ${result.resource} names preset ${preset}, but that preset did not apply to it ` +
      `(not one of its hosts, or not in discovery.presets); relocate it with discovery.presetHosts or remove auth.preset`,
    {
      url: result.resource,
      expected: `preset:${preset} found`,
      actual: result.trace.steps.map((s) => `${s.strategy}:${s.outcome}`),
    },
  );
}

/**
 * The result with the scopes to request: the challenge's, else the PRM's `scopes_supported`, else the
 * operator's `auth.scopes`, else a preset's defaults (MCP scope selection, the operator's list taking
 * the place of the defaults).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#scope-selection-strategy
 */
export function withConfiguredScopes(
  result: DiscoveryResult,
  scopes: readonly string[] | undefined,
): DiscoveryResult {
  if (scopes === undefined || scopes.length === 0) return result;
  return {
    ...result,
    scopes: chooseScopes(result.challenge, result.resourceMetadata, { defaultScopes: scopes }),
  };
}
