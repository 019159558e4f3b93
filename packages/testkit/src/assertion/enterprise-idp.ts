import { createLocalJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { listenLoopback, sendJson } from '../http-util.js';
import { assertClientGrant, type GrantServerClient, OAuthRefusal, type SeenGrantRequest } from './form.js';
import { type ServerKey, type SignOptions, serverKey, signJwt } from './keys.js';
import { tokenEndpoint } from './token-endpoint.js';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
const ID_JAG = 'urn:ietf:params:oauth:token-type:id-jag';

/** A client of the IdP, and the client id the ID-JAGs it obtains name (its id at the resource's AS). */
export interface IdpClient extends GrantServerClient {
  /** `client_id` of its ID-JAGs. Default: its `client_id` here. */
  readonly idJagClientId?: string;
}

/** Options of {@link startEnterpriseIdp}. */
export interface EnterpriseIdpOptions {
  /** Loopback address. Default `127.0.0.1`. */
  readonly host?: string;
  readonly clients?: readonly IdpClient[];
  /** Authorization servers it issues ID-JAGs for (`audience`); any other is `invalid_target`. Default: any. */
  readonly audiences?: readonly string[];
  /** Lifetime of an ID-JAG, seconds. Default 300. */
  readonly idJagTtlSeconds?: number;
}

/** A running enterprise IdP. */
export interface EnterpriseIdpHandle {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  /** Every token request, in order. */
  readonly requests: readonly SeenGrantRequest[];
  /** An ID token of this IdP for `sub`, issued to client `aud`. */
  issueIdToken(sub: string, aud: string, options?: SignOptions): Promise<string>;
  /** Any JWT signed with the IdP's key, `iss` set to the IdP (a workload platform's token, say). */
  signJwt(claims: JWTPayload, options?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real enterprise identity provider for enterprise-managed authorization (SEP-990), on node:http
 * and `jose`: ID tokens signed with its ES256 key (JWKS at `/jwks`, OpenID metadata at
 * `/.well-known/openid-configuration`), and RFC 8693 token exchange at `/token` that turns an ID
 * token it issued to the authenticated client into an ID-JAG (`typ` `oauth-id-jag+jwt`; `sub`,
 * `aud` = the requested `audience`, `resource`, `client_id`, `scope`, `jti`, `exp`). It checks:
 * client authentication, `grant_type`, `requested_token_type` ID-JAG, `subject_token_type` ID
 * token, the ID token's signature, issuer, audience (the client) and expiry, `audience` and
 * `resource` present.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 */
export async function startEnterpriseIdp(options: EnterpriseIdpOptions = {}): Promise<EnterpriseIdpHandle> {
  const key: ServerKey = await serverKey();
  const jwks = createLocalJWKSet({ keys: [key.publicJwk] });
  const clients = options.clients ?? [];
  const requests: SeenGrantRequest[] = [];
  let issuer = '';

  const exchange = tokenEndpoint(clients, requests, async ({ form, client }) => {
    if (client === undefined) throw new OAuthRefusal('invalid_client', 'client authentication required', 401);
    if (form.grant_type !== TOKEN_EXCHANGE)
      throw new OAuthRefusal('unsupported_grant_type', `only ${TOKEN_EXCHANGE}`);
    assertClientGrant(client, TOKEN_EXCHANGE);
    if (form.requested_token_type !== ID_JAG)
      throw new OAuthRefusal('invalid_request', `requested_token_type must be ${ID_JAG}`);
    if (form.subject_token_type !== ID_TOKEN || form.subject_token === undefined)
      throw new OAuthRefusal('invalid_request', `subject_token of type ${ID_TOKEN} required`);
    if (form.audience === undefined || form.resource === undefined)
      throw new OAuthRefusal('invalid_request', 'audience and resource are required');
    if (options.audiences !== undefined && !options.audiences.includes(form.audience))
      throw new OAuthRefusal('invalid_target', `no ID-JAGs for ${form.audience}`);
    let subject: string;
    try {
      const { payload } = await jwtVerify(form.subject_token, jwks, {
        issuer,
        audience: client.client_id,
        requiredClaims: ['sub', 'exp'],
      });
      subject = payload.sub as string;
    } catch (error) {
      throw new OAuthRefusal('invalid_grant', `subject_token: ${(error as Error).message}`);
    }
    const ttl = options.idJagTtlSeconds ?? 300;
    const idJag = await signJwt(
      key,
      {
        iss: issuer,
        sub: subject,
        aud: form.audience,
        resource: form.resource,
        client_id: client.idJagClientId ?? client.client_id,
        scope: form.scope,
      },
      { typ: 'oauth-id-jag+jwt', expiresIn: ttl },
    );
    return { access_token: idJag, issued_token_type: ID_JAG, token_type: 'N_A', expires_in: ttl };
  });

  const server = await listenLoopback(options.host ?? '127.0.0.1', (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
      sendJson(res, 200, {
        issuer,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        grant_types_supported: [TOKEN_EXCHANGE],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        id_token_signing_alg_values_supported: ['ES256'],
      });
    } else if (req.method === 'GET' && path === '/jwks') {
      sendJson(res, 200, { keys: [key.publicJwk] });
    } else if (req.method === 'POST' && path === '/token') {
      exchange(req, res);
    } else sendJson(res, 404, { error: 'not_found' });
  });
  issuer = server.origin;
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    jwksUri: `${issuer}/jwks`,
    requests,
    issueIdToken: (sub, aud, signOptions) => signJwt(key, { iss: issuer, sub, aud }, signOptions),
    signJwt: (claims, signOptions) => signJwt(key, { iss: issuer, ...claims }, signOptions),
    close: () => server.close(),
  };
}
