import { DiscoveryError, type DiscoveryResult, ErrorCodes } from '@oauth-discovery/core';
import { bindingScope, issuerBinding, isVerifiedIssuer } from '../store/binding.js';
import type { IssuerBinding } from '../store/types.js';
import type { ClientCredentialsGrantOptions } from './options.js';

/**
 * Keeps a machine client's credentials with the authorization server they belong to: they are sent
 * only to a verified issuer (RFC 8414 §3.3, or an alias or configuration), only to the configured
 * `issuer` when one is given, and within a session only to the issuer binding (issuer and token
 * endpoint) they were first used with.
 *
 * @returns the binding to pin.
 * @throws {DiscoveryError} `ISSUER_MISMATCH`.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.4
 */
export function checkCredentialBinding(
  grant: Pick<ClientCredentialsGrantOptions, 'clientId' | 'issuer'>,
  result: DiscoveryResult,
  pinned: IssuerBinding | undefined,
): IssuerBinding {
  const server = result.authorizationServer;
  const binding = issuerBinding(server);
  const refuse = (why: string, expected: unknown): DiscoveryError =>
    new DiscoveryError(
      ErrorCodes.ISSUER_MISMATCH,
      `The credentials of client ${grant.clientId} are not sent to ${server.issuer}: ${why}`,
      {
        url: server.issuer,
        expected,
        actual: { issuer: server.issuer, tokenEndpoint: binding.tokenEndpoint },
      },
    );
  if (!isVerifiedIssuer(server.issuerCheck)) {
    throw refuse(`its issuer was not verified (${server.issuerCheck})`, 'a verified issuer');
  }
  if (grant.issuer !== undefined && grant.issuer !== server.issuer) {
    throw refuse(`they belong to ${grant.issuer}`, grant.issuer);
  }
  if (
    pinned !== undefined &&
    (bindingScope(pinned) !== bindingScope(binding) || pinned.tokenEndpoint !== binding.tokenEndpoint)
  ) {
    throw refuse(`this session sent them to ${pinned.issuer} (${pinned.tokenEndpoint})`, pinned);
  }
  return binding;
}
