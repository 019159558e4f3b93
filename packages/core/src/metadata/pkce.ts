import type { ProviderHints } from '../types.js';
import type { AuthorizationServerMetadata } from './schemas.js';

/** Whether PKCE with `S256` is advertised by the metadata, and whether the client may use it. */
export interface PkceSupport {
  /** `code_challenge_methods_supported` is present and lists `S256`. */
  readonly s256Advertised: boolean;
  /** Advertised, or a preset / option says the provider supports it anyway (`pkceS256KnownSupported`). */
  readonly s256Usable: boolean;
}

/**
 * PKCE support per MCP 2025-11-25: when `code_challenge_methods_supported` is absent or lacks `S256`,
 * PKCE is not advertised and the client must refuse to proceed — unless a hint says the provider is
 * known to support S256 without advertising it (Microsoft Entra ID, AWS Cognito). The method name is
 * compared exactly (`S256`, as registered by RFC 7636).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-code-protection
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export function pkceSupport(
  metadata: Pick<AuthorizationServerMetadata, 'code_challenge_methods_supported'>,
  hints: Pick<ProviderHints, 'pkceS256KnownSupported'> = {},
): PkceSupport {
  const s256Advertised = metadata.code_challenge_methods_supported?.includes('S256') ?? false;
  return { s256Advertised, s256Usable: s256Advertised || hints.pkceS256KnownSupported === true };
}
