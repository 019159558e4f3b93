import type { IncomingMessage } from 'node:http';
import { type AcceptedProof, createDPoPProofChecker } from '../dpop-proof.js';
import { OAuthRefusal } from './form.js';

/** DPoP at a testkit token endpoint (RFC 9449 §5). */
export interface TokenEndpointDPoPOptions {
  /** Refuse a token request without a proof (`invalid_dpop_proof`). Default `false`: Bearer tokens then. */
  readonly required?: boolean | undefined;
  /** Answer a proof without the server's current nonce with 400 `use_dpop_nonce` and a `DPoP-Nonce` header (RFC 9449 §8). */
  readonly requireNonce?: boolean | undefined;
}

/** A token endpoint's proof checker: its nonce, the proofs it accepted and the nonce challenges sent. */
export interface TokenEndpointDPoP {
  readonly nonce: string;
  readonly accepted: readonly AcceptedProof[];
  readonly nonceChallenges: number;
  /**
   * The thumbprint (`cnf.jkt`) to bind the token to, or `undefined` for a request without a proof.
   *
   * @throws {OAuthRefusal} `invalid_dpop_proof`, `use_dpop_nonce` (with the nonce in `DPoP-Nonce`).
   */
  check(req: IncomingMessage, tokenEndpoint: string): Promise<string | undefined>;
}

/**
 * A token endpoint's DPoP checker: a request with a `DPoP` header must carry a proof that passes
 * {@link checkDPoPProof} for this endpoint (and, when required, the server's nonce, RFC 9449 §8); the
 * token it gets is then bound to the proof's key.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-8
 */
export function createTokenEndpointDPoP(options: TokenEndpointDPoPOptions): TokenEndpointDPoP {
  const checker = createDPoPProofChecker(
    options.requireNonce === true,
    'Authorization server requires nonce in DPoP proof',
  );
  return {
    nonce: checker.nonce,
    accepted: checker.accepted,
    get nonceChallenges() {
      return checker.nonceChallenges;
    },
    async check(req, tokenEndpoint) {
      if (req.headers.dpop === undefined) {
        if (options.required === true)
          throw new OAuthRefusal('invalid_dpop_proof', 'a DPoP proof is required (RFC 9449 §5)');
        return undefined;
      }
      const verdict = await checker.check(req, { url: tokenEndpoint });
      if (verdict.ok) return verdict.proof.jkt;
      const headers: Record<string, string> =
        verdict.error === 'use_dpop_nonce' ? { 'dpop-nonce': checker.nonce } : {};
      throw new OAuthRefusal(verdict.error, verdict.description, 400, headers);
    },
  };
}
