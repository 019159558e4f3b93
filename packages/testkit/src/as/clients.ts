import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RegisteredClient } from './types.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether `candidate` is one of the client's redirect URIs: exact string match, except that an `http`
 * loopback URI matches on any port.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 */
export function redirectUriAllowed(client: RegisteredClient, candidate: string): boolean {
  if (client.redirect_uris.includes(candidate)) return true;
  let wanted: URL;
  try {
    wanted = new URL(candidate);
  } catch {
    return false;
  }
  if (wanted.protocol !== 'http:' || !LOOPBACK_HOSTS.has(wanted.hostname)) return false;
  return client.redirect_uris.some((registered) => {
    const known = URL.canParse(registered) ? new URL(registered) : undefined;
    return (
      known !== undefined &&
      known.protocol === 'http:' &&
      known.hostname === wanted.hostname &&
      known.pathname === wanted.pathname &&
      known.search === wanted.search
    );
  });
}

/** Outcome of client authentication at the token endpoint. */
export type ClientAuthentication =
  | { readonly ok: true; readonly client: RegisteredClient }
  | {
      readonly ok: false;
      readonly error: 'invalid_client';
      readonly description: string;
      readonly basic: boolean;
    };

/**
 * Authenticates the client of a token request by `client_secret_basic`, `client_secret_post` or, for
 * public clients, `client_id` alone.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function authenticateClient(
  clients: ReadonlyMap<string, RegisteredClient>,
  req: IncomingMessage,
  form: URLSearchParams,
): ClientAuthentication {
  const header = req.headers.authorization ?? '';
  let id = form.get('client_id') ?? undefined;
  let secret = form.get('client_secret') ?? undefined;
  const basic = /^basic\s+/i.test(header);
  if (basic) {
    const decoded = Buffer.from(header.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    id = decodeURIComponent(decoded.slice(0, colon < 0 ? undefined : colon));
    secret = colon < 0 ? undefined : decodeURIComponent(decoded.slice(colon + 1));
  }
  const client = id === undefined ? undefined : clients.get(id);
  if (!client)
    return { ok: false, error: 'invalid_client', description: `unknown client ${id ?? '(none)'}`, basic };
  if (client.client_secret !== undefined && client.client_secret !== secret) {
    return { ok: false, error: 'invalid_client', description: 'client authentication failed', basic };
  }
  return { ok: true, client };
}

/** The answer to a registration request. */
export type RegistrationOutcome =
  | { readonly status: 201; readonly client: RegisteredClient; readonly body: Record<string, unknown> }
  | { readonly status: 400; readonly body: { error: string; error_description: string } };

/**
 * Validates an RFC 7591 registration request and creates the client.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2
 */
export function registerClient(request: unknown): RegistrationOutcome {
  const bad = (error: string, description: string): RegistrationOutcome => ({
    status: 400,
    body: { error, error_description: description },
  });
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return bad('invalid_client_metadata', 'the registration request must be a JSON object');
  }
  const fields = request as Record<string, unknown>;
  const uris = fields.redirect_uris;
  if (
    !Array.isArray(uris) ||
    uris.length === 0 ||
    !uris.every((u) => typeof u === 'string' && URL.canParse(u))
  ) {
    return bad('invalid_redirect_uri', 'redirect_uris must be a non-empty array of absolute URLs');
  }
  const method = fields.token_endpoint_auth_method ?? 'client_secret_basic';
  if (method !== 'none' && method !== 'client_secret_basic' && method !== 'client_secret_post') {
    return bad('invalid_client_metadata', `unsupported token_endpoint_auth_method ${String(method)}`);
  }
  const grantTypes = Array.isArray(fields.grant_types)
    ? (fields.grant_types as string[])
    : ['authorization_code'];
  const client: RegisteredClient = {
    client_id: `dcr-${randomBytes(8).toString('hex')}`,
    ...(method === 'none' ? {} : { client_secret: randomBytes(24).toString('base64url') }),
    redirect_uris: uris as string[],
    token_endpoint_auth_method: method,
    grant_types: grantTypes,
    ...(typeof fields.client_name === 'string' ? { client_name: fields.client_name } : {}),
  };
  return {
    status: 201,
    client,
    body: {
      ...fields,
      ...client,
      client_id_issued_at: Math.floor(Date.now() / 1000),
      ...(client.client_secret === undefined ? {} : { client_secret_expires_at: 0 }),
      response_types: ['code'],
    },
  };
}
