import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { calculateJwkThumbprint, decodeProtectedHeader, importJWK, type JWK, jwtVerify } from 'jose';

/** DPoP at a resource server of the testkit (RFC 9449 §7). */
export interface ResourceDPoPOptions {
  /** Answer a proof without the server's current nonce with 401 `use_dpop_nonce` (RFC 9449 §9). */
  readonly requireNonce?: boolean;
}

/** The claims of a proof the resource server accepted. */
export interface AcceptedProof {
  readonly jti: string;
  readonly htm: string;
  readonly htu: string;
  readonly nonce?: string;
  readonly jkt: string;
}

/** The verdict on a request's DPoP proof. */
export type ProofVerdict =
  | { readonly ok: true; readonly proof: AcceptedProof }
  | {
      readonly ok: false;
      readonly error: 'invalid_dpop_proof' | 'use_dpop_nonce';
      readonly description: string;
    };

const ALGORITHMS = ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA'];

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
 * Checks DPoP proofs as RFC 9449 §4.3 and §7.1 say: exactly one `DPoP` header, a `dpop+jwt` signed by
 * the asymmetric public `jwk` of its header, `htm` and `htu` of this request, `iat` within 5 minutes,
 * a `jti` never seen, `ath` of the presented token, the key the token is bound to (`cnf.jkt`), and —
 * when required — the server's nonce.
 */
export function createResourceDPoP(options: ResourceDPoPOptions): ResourceDPoP {
  const seen = new Set<string>();
  const accepted: AcceptedProof[] = [];
  const nonce = randomBytes(12).toString('base64url');
  let nonceChallenges = 0;
  const invalid = (description: string): ProofVerdict => ({
    ok: false,
    error: 'invalid_dpop_proof',
    description,
  });
  return {
    nonce,
    accepted,
    get nonceChallenges() {
      return nonceChallenges;
    },
    async check(req, requestUrl, accessToken, jkt) {
      const header = req.headers.dpop;
      if (typeof header !== 'string' || header === '' || header.includes(','))
        return invalid('exactly one DPoP header');
      let claims: Record<string, unknown>;
      let thumbprint: string;
      try {
        const protectedHeader = decodeProtectedHeader(header);
        const jwk = protectedHeader.jwk as JWK | undefined;
        if (protectedHeader.typ !== 'dpop+jwt') return invalid('typ must be dpop+jwt');
        if (jwk === undefined || 'd' in jwk) return invalid('a public jwk header');
        const alg = String(protectedHeader.alg);
        if (!ALGORITHMS.includes(alg)) return invalid(`alg ${alg}`);
        claims = (
          await jwtVerify(header, await importJWK(jwk, alg), { algorithms: ALGORITHMS, typ: 'dpop+jwt' })
        ).payload;
        thumbprint = await calculateJwkThumbprint(jwk, 'sha256');
      } catch (error) {
        return invalid(`proof does not verify: ${String(error)}`);
      }
      const url = new URL(requestUrl);
      const ath = createHash('sha256').update(accessToken, 'ascii').digest('base64url');
      if (typeof claims.jti !== 'string' || seen.has(claims.jti)) return invalid('a new jti');
      if (claims.htm !== req.method) return invalid(`htm ${String(claims.htm)} for ${req.method}`);
      if (claims.htu !== `${url.origin}${url.pathname}`) return invalid(`htu ${String(claims.htu)}`);
      if (typeof claims.iat !== 'number' || Math.abs(Date.now() / 1000 - claims.iat) > 300)
        return invalid('iat');
      if (claims.ath !== ath) return invalid('ath of the presented token');
      if (jkt === undefined || jkt !== thumbprint) return invalid('the key the token is bound to');
      seen.add(claims.jti);
      if (options.requireNonce === true && claims.nonce !== nonce) {
        nonceChallenges += 1;
        return {
          ok: false,
          error: 'use_dpop_nonce',
          description: 'Resource server requires nonce in DPoP proof',
        };
      }
      const proof: AcceptedProof = {
        jti: claims.jti,
        htm: String(claims.htm),
        htu: String(claims.htu),
        jkt: thumbprint,
        ...(typeof claims.nonce === 'string' ? { nonce: claims.nonce } : {}),
      };
      accepted.push(proof);
      return { ok: true, proof };
    },
  };
}
