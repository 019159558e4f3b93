import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http-util.js';
import {
  authenticateClient,
  type GrantServerClient,
  OAuthRefusal,
  readForm,
  type SeenGrantRequest,
  sendRefusal,
} from './form.js';

/** A token request whose client was authenticated (or sent no authentication: `client` undefined). */
export interface TokenRequest<C extends GrantServerClient> {
  readonly req: IncomingMessage;
  readonly form: Readonly<Record<string, string>>;
  readonly client: C | undefined;
}

/**
 * The token endpoint of the testkit's grant servers, one skeleton for all: reads the form, records the
 * request in `requests`, authenticates the client ({@link authenticateClient}), runs `grant` and sends
 * its answer as `no-store` JSON (RFC 6749 §5.1); a refusal (`OAuthRefusal`, recorded on the request)
 * or any other failure (`500 server_error`) is sent as an RFC 6749 §5.2 error.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5
 */
export function tokenEndpoint<C extends GrantServerClient>(
  clients: readonly C[],
  requests: SeenGrantRequest[],
  grant: (request: TokenRequest<C>) => Promise<Record<string, unknown>>,
): (req: IncomingMessage, res: ServerResponse) => void {
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const seen: SeenGrantRequest = {
      grantType: form.grant_type,
      params: form,
      clientAuth: 'anonymous',
      clientId: form.client_id,
    };
    requests.push(seen);
    try {
      const { client, method } = authenticateClient(req, form, clients);
      seen.clientAuth = method;
      seen.clientId = client?.client_id;
      sendJson(res, 200, await grant({ req, form, client }), { 'cache-control': 'no-store' });
    } catch (error) {
      if (error instanceof OAuthRefusal) seen.error = error.error;
      throw error;
    }
  }
  return (req, res) => {
    answer(req, res).catch((error: unknown) => {
      sendRefusal(
        res,
        error instanceof OAuthRefusal ? error : new OAuthRefusal('server_error', String(error), 500),
      );
    });
  };
}
