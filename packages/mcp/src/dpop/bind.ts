import { checkTokenType } from '../engine/index.js';
import type { StoredTokens } from '../store/types.js';
import type { DPoPKey } from './key.js';

/**
 * Tokens as stored after a token request with (or without) a DPoP proof of `key`: the type the proof
 * calls for ({@link checkTokenType}: a proof that got a Bearer token back is refused) and the key's
 * thumbprint, so a refresh and every MCP request use the key the tokens are bound to.
 *
 * @throws {DiscoveryError} `TOKEN_REQUEST_FAILED` when the token type does not match.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 */
export function bindTokens(
  tokens: StoredTokens,
  key: DPoPKey | undefined,
  tokenEndpoint: string,
): StoredTokens {
  return {
    ...tokens,
    tokenType: checkTokenType(tokens.tokenType, key !== undefined, tokenEndpoint),
    dpopJkt: key?.jkt,
  };
}
