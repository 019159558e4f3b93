import type { IncomingMessage } from 'node:http';
import { type AcceptedProof, checkDPoPProof, newDPoPNonce } from '../dpop-proof.js';

/** DPoP at a resource server of the testkit (RFC 9449 §7). */
export interface ResourceDPoPOptions {
  /** Answer a proof without the server's current nonce with 401 `use_dpop_nonce` (RFC 9449 §9). */
  readonly requireNonce?: boolean;
}

/** The verdict on a request's DPoP proof. */
export type ProofVerdict =
  | { readonly ok: true; readonly proof: AcceptedProof }
  | {
      readonly ok: false;
      readonly error: 'invalid_dpop_proof' | 'use_dpop_nonce';
      readonly description: string;
    };

/** A resource server's proof checker: the current nonce and the `jti`s seen. */
export interface ResourceDPoP {
  readonly nonce: string;
  readonly accepted: AcceptedProof[];
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
 * A resource server's DPoP checker (RFC 9449 §7.1): the proof rules of {@link checkDPoPProof} with the
 * presented token's `ath` and the key it is bound to (`cnf.jkt`), then — when required — the server's
 * nonce (401 `use_dpop_nonce`, §9).
 */
export function createResourceDPoP(options: ResourceDPoPOptions): ResourceDPoP {
  const seen = new Set<string>();
  const accepted: AcceptedProof[] = [];
  const nonce = newDPoPNonce();
  let nonceChallenges = 0;
  return {
    nonce,
    accepted,
    get nonceChallenges() {
      return nonceChallenges;
    },
    async check(req, requestUrl, accessToken, jkt) {
      const checked = await checkDPoPProof(req, { url: requestUrl, seen, token: { accessToken, jkt } });
      if (!checked.ok) return { ok: false, error: 'invalid_dpop_proof', description: checked.description };
      seen.add(checked.proof.jti);
      if (options.requireNonce === true && checked.proof.nonce !== nonce) {
        nonceChallenges += 1;
        return {
          ok: false,
          error: 'use_dpop_nonce',
          description: 'Resource server requires nonce in DPoP proof',
        };
      }
      accepted.push(checked.proof);
      return checked;
    },
  };
}
