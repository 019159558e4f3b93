import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { calculateJwkThumbprint, decodeProtectedHeader, importJWK, type JWK, jwtVerify } from 'jose';

/** The claims of a proof a testkit server accepted. */
export interface AcceptedProof {
  readonly jti: string;
  readonly htm: string;
  readonly htu: string;
  readonly nonce?: string | undefined;
  /** The JWK SHA-256 thumbprint of the proof's key (RFC 7638). */
  readonly jkt: string;
}

/** What a proof must match besides its own rules. */
export interface ProofExpectation {
  /** The full URL of the request (its query and fragment are ignored for `htu`). */
  readonly url: string;
  /** `jti`s already accepted by this server: a proof with one of them is a replay. */
  readonly seen: ReadonlySet<string>;
  /**
   * At a resource server (RFC 9449 §7.1): the presented access token (`ath`) and the thumbprint it is
   * bound to (`cnf.jkt`; `undefined` — an unbound token — fails).
   */
  readonly token?: { readonly accessToken: string; readonly jkt: string | undefined } | undefined;
}

/** The verdict on a request's DPoP proof (before any nonce rule). */
export type ProofCheck =
  | { readonly ok: true; readonly proof: AcceptedProof }
  | { readonly ok: false; readonly description: string };

const ALGORITHMS = ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA'];

/** `dpop_signing_alg_values_supported` of a testkit server: the asymmetric algorithms it checks. */
export const DPOP_ALGORITHMS: readonly string[] = ALGORITHMS;

/** A fresh server nonce (RFC 9449 §8). */
const newDPoPNonce = (): string => randomBytes(12).toString('base64url');

/**
 * Checks a request's DPoP proof as RFC 9449 §4.3 says — the one rule of every testkit server: exactly
 * one `DPoP` header; a JWT with `typ` `dpop+jwt`, an asymmetric `alg` and the public `jwk` it is
 * signed with; a `jti` not in `seen`; `htm` the request's method; `htu` its URL without query and
 * fragment; `iat` within 5 minutes — and at a resource server (§7.1) `ath` of the presented token and
 * the key the token is bound to. The caller records the `jti` and applies its nonce rule (§8, §9).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
export async function checkDPoPProof(
  req: IncomingMessage,
  expectation: ProofExpectation,
): Promise<ProofCheck> {
  const invalid = (description: string): ProofCheck => ({ ok: false, description });
  const header = req.headers.dpop;
  if (typeof header !== 'string' || header === '' || header.includes(','))
    return invalid('exactly one DPoP header');
  let claims: Record<string, unknown>;
  let jkt: string;
  try {
    const protectedHeader = decodeProtectedHeader(header);
    const jwk = protectedHeader.jwk as JWK | undefined;
    if (protectedHeader.typ !== 'dpop+jwt') return invalid('typ must be dpop+jwt');
    if (jwk === undefined || 'd' in jwk) return invalid('a public jwk header');
    const alg = String(protectedHeader.alg);
    if (!ALGORITHMS.includes(alg)) return invalid(`alg ${alg}`);
    claims = (await jwtVerify(header, await importJWK(jwk, alg), { algorithms: ALGORITHMS, typ: 'dpop+jwt' }))
      .payload;
    jkt = await calculateJwkThumbprint(jwk, 'sha256');
  } catch (error) {
    return invalid(`proof does not verify: ${String(error)}`);
  }
  const url = new URL(expectation.url);
  if (typeof claims.jti !== 'string' || expectation.seen.has(claims.jti)) return invalid('a new jti');
  if (claims.htm !== req.method) return invalid(`htm ${String(claims.htm)} for ${req.method}`);
  if (claims.htu !== `${url.origin}${url.pathname}`) return invalid(`htu ${String(claims.htu)}`);
  if (typeof claims.iat !== 'number' || Math.abs(Date.now() / 1000 - claims.iat) > 300) return invalid('iat');
  const { token } = expectation;
  if (token !== undefined) {
    const ath = createHash('sha256').update(token.accessToken, 'ascii').digest('base64url');
    if (claims.ath !== ath) return invalid('ath of the presented token');
    if (token.jkt === undefined || token.jkt !== jkt) return invalid('the key the token is bound to');
  }
  return {
    ok: true,
    proof: {
      jti: claims.jti,
      htm: String(claims.htm),
      htu: String(claims.htu),
      nonce: typeof claims.nonce === 'string' ? claims.nonce : undefined,
      jkt,
    },
  };
}

/** The verdict of a {@link DPoPProofChecker}. */
export type ProofVerdict =
  | { readonly ok: true; readonly proof: AcceptedProof }
  | {
      readonly ok: false;
      readonly error: 'invalid_dpop_proof' | 'use_dpop_nonce';
      readonly description: string;
    };

/** A server's proof checker: the nonce it wants, the proofs it accepted and the nonce challenges it sent. */
export interface DPoPProofChecker {
  readonly nonce: string;
  readonly accepted: readonly AcceptedProof[];
  readonly nonceChallenges: number;
  /** {@link checkDPoPProof}, then the `jti` recorded, then — when required — the nonce (RFC 9449 §8, §9). */
  check(req: IncomingMessage, expectation: Omit<ProofExpectation, 'seen'>): Promise<ProofVerdict>;
}

/**
 * The bookkeeping every testkit server with DPoP shares: one nonce, the `jti`s seen (a replay is
 * `invalid_dpop_proof`), the accepted proofs, and — with `requireNonce` — `use_dpop_nonce` for a
 * proof without the current nonce (its `jti` is spent all the same).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-8
 */
export function createDPoPProofChecker(requireNonce: boolean, nonceMessage: string): DPoPProofChecker {
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
    async check(req, expectation) {
      const checked = await checkDPoPProof(req, { ...expectation, seen });
      if (!checked.ok) return { ok: false, error: 'invalid_dpop_proof', description: checked.description };
      seen.add(checked.proof.jti);
      if (requireNonce && checked.proof.nonce !== nonce) {
        nonceChallenges += 1;
        return { ok: false, error: 'use_dpop_nonce', description: nonceMessage };
      }
      accepted.push(checked.proof);
      return checked;
    },
  };
}
