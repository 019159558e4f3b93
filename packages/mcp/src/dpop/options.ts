/**
 * JWS algorithms this client can sign DPoP proofs with, in the default order of preference
 * (asymmetric only: RFC 9449 §4.2 forbids `none` and MAC algorithms).
 */
export const DPOP_ALGORITHMS = [
  'ES256',
  'EdDSA',
  'PS256',
  'RS256',
  'ES384',
  'ES512',
  'PS384',
  'PS512',
  'RS384',
  'RS512',
] as const;

/** A JWS algorithm of a DPoP proof. */
export type DPoPAlgorithm = (typeof DPOP_ALGORITHMS)[number];

/**
 * DPoP (RFC 9449, MCP SEP-1932): access tokens bound to a key of this client. Every token request
 * carries a proof, the token comes back as `token_type: DPoP`, and every MCP request presents it as
 * `Authorization: DPoP <token>` with a fresh proof. The key is made once per authorization server
 * and kept in the token store.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449
 */
export interface DPoPOptions {
  /**
   * `always` (default): every token request carries a proof, and an authorization server that lists
   * `dpop_signing_alg_values_supported` without an algorithm of {@link DPoPOptions.algorithms} is
   * refused. `when-supported`: only with authorization servers that list
   * `dpop_signing_alg_values_supported`; others get Bearer token requests.
   */
  readonly when?: 'always' | 'when-supported' | undefined;
  /** The algorithms to use, in order of preference. Default {@link DPOP_ALGORITHMS}. */
  readonly algorithms?: readonly DPoPAlgorithm[] | undefined;
}

/** The `dpop` option of the library: `true` for the defaults of {@link DPoPOptions}. */
export type DPoPSetting = boolean | DPoPOptions;

/** {@link DPoPSetting} with its defaults applied; `undefined` when DPoP is off. */
export interface DPoPPolicy {
  readonly when: 'always' | 'when-supported';
  readonly algorithms: readonly DPoPAlgorithm[];
}

/** Applies the defaults of {@link DPoPOptions}; `undefined` for `false` or no option. */
export function dpopPolicy(setting: DPoPSetting | undefined): DPoPPolicy | undefined {
  if (setting === undefined || setting === false) return undefined;
  const options = setting === true ? {} : setting;
  return {
    when: options.when ?? 'always',
    algorithms: options.algorithms?.length ? options.algorithms : DPOP_ALGORITHMS,
  };
}
