import { DiscoveryError } from '@oauth-discovery/core';
import { createDPoPNonces, isUseDPoPNonce } from './dpop/nonce.js';
import { createDPoPProof } from './dpop/proof.js';
import { FlowErrorCodes } from './error-codes.js';
import type { FetchLike } from './fetch-like.js';
import type { Session } from './session.js';

/**
 * Wraps the fetch of an MCP transport so that the OAuth session drives it:
 *
 * - the first request goes out as the application made it: authorization starts from the resource's
 *   challenge, never before it (a server that asks for none gets no discovery and no registration);
 * - once the resource has challenged: the current token (refreshed before expiry) in `Authorization`
 *   — a DPoP-bound token as `DPoP <token>` with a new proof of its key in `DPoP` (`htm`, `htu`, `ath`
 *   and the origin's latest `DPoP-Nonce`), RFC 9449 §7.1;
 * - a 401 `DPoP error="use_dpop_nonce"` with a `DPoP-Nonce`: the request again, once, with a proof
 *   carrying that nonce (RFC 9449 §9);
 * - on 401: the session re-discovers with the response's `WWW-Authenticate`, uses the stored tokens
 *   if the resource has not rejected them, else refreshes or authorizes, and the request is sent again
 *   once; a second 401 fails with `AUTHORIZATION_FAILED`;
 * - on 403 `insufficient_scope`: a step-up authorization with the larger scope, then the request
 *   again — until the session's limits (`STEP_UP_LIMIT`; 3 authorizations in all by default);
 * - any other response goes to the transport untouched.
 *
 * Request bodies of MCP transports are strings, so a request can be sent again as is.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-server-discovery
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#step-up-authorization-flow
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
export function createAuthFetch(session: Session, base: FetchLike): FetchLike {
  const nonces = createDPoPNonces();
  return async (url, init) => {
    let token = await session.currentToken();
    let unauthorized = 0;
    let nonceRetried = false;
    for (;;) {
      const headers = new Headers(init?.headers);
      const key = token === undefined ? undefined : await session.proofKey();
      if (token !== undefined)
        headers.set('authorization', `${key === undefined ? 'Bearer' : 'DPoP'} ${token}`);
      if (key !== undefined) {
        const method = init?.method ?? 'GET';
        headers.set(
          'dpop',
          await createDPoPProof(key, { method, url, accessToken: token, nonce: nonces.get(url) }),
        );
      }
      const response = await base(url, { ...init, headers });
      if (key !== undefined) {
        nonces.remember(url, response);
        if (!nonceRetried && isUseDPoPNonce(response)) {
          nonceRetried = true;
          await response.body?.cancel();
          continue;
        }
      }
      const challengeable = response.status === 401 || response.status === 403;
      if (!challengeable) return response;
      const header = response.headers.get('www-authenticate');
      // Only a 401 to a token counts: the first request may carry none, or a stored one that went stale.
      if (response.status === 401 && token !== undefined) {
        unauthorized += 1;
        if (unauthorized > 1) {
          await response.body?.cancel();
          throw new DiscoveryError(
            FlowErrorCodes.AUTHORIZATION_FAILED,
            `${String(url)} rejected a newly obtained access token (HTTP 401${header === null ? '' : `, WWW-Authenticate: ${header}`})`,
            {
              url: String(url),
              expected: 'the new token to be accepted',
              actual: { status: 401, wwwAuthenticate: header },
            },
          );
        }
      }
      // A 403 that is not insufficient_scope is the server's final answer: it goes to the transport.
      if (response.status === 403 && !/insufficient_scope/i.test(header ?? '')) return response;
      await response.body?.cancel();
      const retry = await session.handleChallenge(response.status, header, token);
      if (!retry) {
        throw new DiscoveryError(
          FlowErrorCodes.AUTHORIZATION_FAILED,
          `${String(url)} answered HTTP ${response.status} and no new authorization can help`,
          {
            url: String(url),
            expected: 'a request the token allows',
            actual: { status: response.status, wwwAuthenticate: header },
          },
        );
      }
      token = (await session.ensureTokens()).accessToken;
    }
  };
}
