import { createHash } from 'node:crypto';
import { DiscoveryError, type DiscoveryResult, ErrorCodes } from '@oauth-discovery/core';
import { randomPKCECodeVerifier, randomState } from 'openid-client';

/** A PKCE verifier and its S256 challenge. */
export interface PkcePair {
  readonly codeVerifier: string;
  readonly codeChallenge: string;
  readonly codeChallengeMethod: 'S256';
}

/**
 * A fresh PKCE pair: openid-client's 32 random bytes as a base64url verifier (43 characters, inside RFC 7636's
 * 43–128), challenge = BASE64URL(SHA256(verifier)).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export function createPkcePair(): PkcePair {
  const codeVerifier = randomPKCECodeVerifier();
  return { codeVerifier, codeChallenge: s256Challenge(codeVerifier), codeChallengeMethod: 'S256' };
}

/**
 * The S256 code challenge of a verifier.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export function s256Challenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

/**
 * A fresh, unguessable `state` value (openid-client's `randomState`: 256 bits).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export function createState(): string {
  return randomState();
}

/**
 * Refuses to start an authorization when PKCE S256 is neither advertised by the authorization server
 * nor known to work (`hints.pkceS256KnownSupported`), as the MCP spec requires.
 *
 * @throws {DiscoveryError} `PKCE_NOT_SUPPORTED`
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-code-protection
 */
export function assertPkceUsable(result: DiscoveryResult): void {
  if (result.pkce.s256Usable) return;
  const advertised = result.authorizationServer.metadata.code_challenge_methods_supported;
  throw new DiscoveryError(
    ErrorCodes.PKCE_NOT_SUPPORTED,
    `Authorization server ${result.authorizationServer.issuer} does not advertise PKCE S256 ` +
      `(code_challenge_methods_supported: ${advertised === undefined ? 'absent' : JSON.stringify(advertised)}); ` +
      'the MCP authorization spec requires refusing it. If you know this provider supports S256, use a preset or ' +
      'static config with the hint pkceS256KnownSupported.',
    {
      url: result.authorizationServer.metadataUrl ?? result.authorizationServer.issuer,
      expected: 'code_challenge_methods_supported including "S256"',
      actual: advertised ?? null,
    },
  );
}
