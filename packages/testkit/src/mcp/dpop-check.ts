import type { IncomingMessage } from 'node:http';
import { type AcceptedProof, createDPoPProofChecker, type ProofVerdict } from '../dpop-proof.js';

/** DPoP at a resource server of the testkit (RFC 9449 §7). */
export interface ResourceDPoPOptions {
  /** Answer a proof without the server's current nonce with 401 `use_dpop_nonce` (RFC 9449 §9). */
  readonly requireNonce?: boolean;
}

/** A resource server's proof checker: the current nonce and the `jti`s seen. */
export interface ResourceDPoP {
  readonly nonce: string;
  readonly accepted: readonly AcceptedProof[];
  /** Nonce challenges sent (401 `use_dpop_nonce`). */
  readonly nonceChallenges: number;
  check(
    req: IncomingMessage,
    requestUrl: string,
    accessToken: string,
    jkt: string | undefined,
  ): Promise<ProofVerdict>;
}

/**
 * A resource server's DPoP checker (RFC 9449 §7.1): the proof rules of `checkDPoPProof` with the
 * presented token's `ath` and the key it is bound to (`cnf.jkt`), then — when required — the server's
 * nonce (401 `use_dpop_nonce`, §9).
 */
export function createResourceDPoP(options: ResourceDPoPOptions): ResourceDPoP {
  const checker = createDPoPProofChecker(
    options.requireNonce === true,
    'Resource server requires nonce in DPoP proof',
  );
  return {
    nonce: checker.nonce,
    accepted: checker.accepted,
    get nonceChallenges() {
      return checker.nonceChallenges;
    },
    check: (req, requestUrl, accessToken, jkt) =>
      checker.check(req, { url: requestUrl, token: { accessToken, jkt } }),
  };
}
