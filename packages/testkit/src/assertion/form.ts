import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../http-util.js';

/** A client registered at one of the assertion-grant servers. */
export interface GrantServerClient {
  readonly client_id: string;
  /** Absent: a public client (its id in the body, nothing to check). */
  readonly client_secret?: string;
  /** Grant types it may use. Default: every grant the server has. */
  readonly grant_types?: readonly string[];
}

/** A token request as the server parsed it (for assertions in tests). */
export interface SeenGrantRequest {
  readonly grantType: string | undefined;
  readonly params: Readonly<Record<string, string>>;
  /** How the client authenticated: `client_secret_basic`, `client_secret_post`, `none` or `anonymous`. */
  clientAuth: 'client_secret_basic' | 'client_secret_post' | 'none' | 'anonymous';
  clientId: string | undefined;
  /** The error the server answered, if it refused. */
  error?: string;
}

/** An RFC 6749 §5.2 refusal, with the headers to send along (`DPoP-Nonce`, RFC 9449 §8). */
export class OAuthRefusal extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${error}: ${description}`);
  }
}

/** Sends an RFC 6749 §5.2 error response (a 401 with its `WWW-Authenticate: Basic` challenge). */
export function sendRefusal(res: ServerResponse, refusal: OAuthRefusal): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...refusal.headers };
  if (refusal.status === 401) headers['www-authenticate'] = 'Basic';
  sendJson(res, refusal.status, { error: refusal.error, error_description: refusal.description }, headers);
}

/** The form body of a token request. */
export async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const params = new URLSearchParams(await readBody(req));
  const form: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in form) throw new OAuthRefusal('invalid_request', `parameter ${key} is repeated`);
    form[key] = value;
  }
  return form;
}

/**
 * Authenticates the client of a token request (RFC 6749 §2.3.1: `client_secret_basic` with
 * form-urlencoded credentials, or `client_secret_post`; a public client by its id alone) against the
 * registered clients. No client at all is `anonymous`, which the caller may allow.
 *
 * @throws {OAuthRefusal} `invalid_client` (401) for an unknown client or a wrong secret.
 */
export function authenticateClient<C extends GrantServerClient>(
  req: IncomingMessage,
  form: Readonly<Record<string, string>>,
  clients: readonly C[],
): { readonly client: C | undefined; readonly method: SeenGrantRequest['clientAuth'] } {
  const header = req.headers.authorization;
  let id: string | undefined;
  let secret: string | undefined;
  let method: SeenGrantRequest['clientAuth'];
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) throw new OAuthRefusal('invalid_client', 'malformed Basic credentials', 401);
    id = decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' '));
    secret = decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' '));
    method = 'client_secret_basic';
  } else if (form.client_secret !== undefined) {
    id = form.client_id;
    secret = form.client_secret;
    method = 'client_secret_post';
  } else if (form.client_id !== undefined) {
    id = form.client_id;
    method = 'none';
  } else return { client: undefined, method: 'anonymous' };
  const client = clients.find((candidate) => candidate.client_id === id);
  if (client === undefined) throw new OAuthRefusal('invalid_client', `unknown client ${id}`, 401);
  if (client.client_secret !== secret) {
    throw new OAuthRefusal(
      'invalid_client',
      client.client_secret === undefined ? 'public client sent a secret' : 'wrong client secret',
      401,
    );
  }
  return { client, method };
}

/** The grant type is one the client may use. */
export function assertClientGrant(client: GrantServerClient | undefined, grantType: string): void {
  if (client?.grant_types !== undefined && !client.grant_types.includes(grantType)) {
    throw new OAuthRefusal('unauthorized_client', `client ${client.client_id} may not use ${grantType}`);
  }
}
