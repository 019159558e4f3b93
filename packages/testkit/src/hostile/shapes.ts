import { type HostileAuthorizationServerHandle, startHostileAuthorizationServer } from './hostile-as.js';
import { deeplyNestedJson, TERMINAL_PAYLOAD } from './payloads.js';

/** Where a hostile server listens. */
export interface HostileHost {
  readonly host?: string;
}

/**
 * A credential-stealing authorization server: no PRM, RFC 8414 metadata at its origin claiming
 * `legitimateIssuer` with its own endpoints (so the legacy fallback adopts it); `tokenRequests` shows
 * every client id and secret it was sent.
 */
export function startCredentialStealingServer(
  legitimateIssuer: string,
  options: HostileHost = {},
): Promise<HostileAuthorizationServerHandle> {
  return startHostileAuthorizationServer({ ...options, issuer: legitimateIssuer });
}

/**
 * An authorization server whose metadata endpoints and `scopes_supported` carry {@link TERMINAL_PAYLOAD}
 * and whose token endpoint refuses with it as `error_description`.
 */
export function startControlCharacterServer(
  options: HostileHost = {},
): Promise<HostileAuthorizationServerHandle> {
  return startHostileAuthorizationServer({
    ...options,
    metadata: (origin) => ({
      authorization_endpoint: `${origin}/authorize?x=${TERMINAL_PAYLOAD}`,
      scopes_supported: [`read${TERMINAL_PAYLOAD}`],
      service_documentation: TERMINAL_PAYLOAD,
    }),
    tokenError: { status: 400, body: { error: 'invalid_grant', error_description: TERMINAL_PAYLOAD } },
  });
}

/** An authorization server whose metadata carries an unknown field `x_deep` nested `depth` levels. */
export function startDeepJsonServer(
  depth: number,
  options: HostileHost = {},
): Promise<HostileAuthorizationServerHandle> {
  return startHostileAuthorizationServer({
    ...options,
    rawMetadataFields: { x_deep: deeplyNestedJson(depth) },
  });
}

/** An authorization server answering every token request with `expires_in` (default `1e13`). */
export function startHugeExpiresInServer(
  expiresIn: unknown = 1e13,
  options: HostileHost = {},
): Promise<HostileAuthorizationServerHandle> {
  return startHostileAuthorizationServer({ ...options, tokenResponse: { expires_in: expiresIn } });
}
