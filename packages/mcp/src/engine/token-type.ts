import { DiscoveryError } from '@oauth-discovery/core';
import { safeText } from '@oauth-discovery/core/trace';
import { FlowErrorCodes } from '../error-codes.js';

/**
 * The `token_type` a token response must have — the engine's one rule, applied to every token answer
 * (`toStoredTokens`) and to the tokens `dpop/bind.ts` binds: `DPoP` when the request carried a proof
 * (a Bearer token there means the server did not bind it: refused, since the caller asked for bound
 * tokens), else `Bearer`. Case-insensitive (RFC 6749 §5.1).
 *
 * @returns the type as stored: `DPoP` or `Bearer`.
 * @throws {DiscoveryError} `TOKEN_REQUEST_FAILED`.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 */
export function checkTokenType(
  tokenType: string,
  proofSent: boolean,
  tokenEndpoint: string,
): 'DPoP' | 'Bearer' {
  const expected = proofSent ? 'DPoP' : 'Bearer';
  if (tokenType.toLowerCase() === expected.toLowerCase()) return expected;
  throw new DiscoveryError(
    FlowErrorCodes.TOKEN_REQUEST_FAILED,
    !proofSent
      ? `Token endpoint ${tokenEndpoint} issued a ${safeText(tokenType)} token; without a DPoP proof (the dpop option) this client only uses Bearer tokens (RFC 6750)`
      : `Token endpoint ${tokenEndpoint} answered a request with a DPoP proof with a ${safeText(tokenType)} token: the token is not bound to the key (RFC 9449 §5)`,
    { url: tokenEndpoint, expected: `token_type ${expected}`, actual: tokenType },
  );
}
