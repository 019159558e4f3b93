import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { listenLoopback, sendJson } from '../http-util.js';
import type { TokenInfo } from '../token-info.js';
import {
  assertClientGrant,
  authenticateClient,
  type GrantServerClient,
  newSeen,
  OAuthRefusal,
  readForm,
  type SeenGrantRequest,
  sendRefusal,
} from './form.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** An issuer whose assertions the server accepts, and where its keys are. */
export interface TrustedIssuer {
  readonly issuer: string;
  readonly jwksUri: string;
  /**
   * `id-jag`: its assertions must be ID-JAGs (`typ` `oauth-id-jag+jwt`, `client_id` the
   * authenticated client, `resource` the requested one). `workload`: any JWT. Default `workload`.
   */
  readonly kind?: 'id-jag' | 'workload';
}

/** Options of {@link startJwtBearerServer}. */
export interface JwtBearerServerOptions {
  /** Loopback address. Default `127.0.0.1`. */
  readonly host?: string;
  readonly trust: readonly TrustedIssuer[];
  readonly clients?: readonly GrantServerClient[];
  /** Refuse requests without client authentication. Default `false` (the assertion identifies the workload). */
  readonly requireClientAuthentication?: boolean;
  /** `token_endpoint_auth_methods_supported`. Default `['client_secret_basic', 'client_secret_post', 'none']`. */
  readonly authMethods?: readonly string[];
  /** Scopes that may be granted (`invalid_scope` for others); `scopes_supported`. Default: any. */
  readonly scopes?: readonly string[];
  /** Access token lifetime, seconds. Default 3600. */
  readonly accessTokenTtlSeconds?: number;
  /** Leeway for `exp`/`nbf`, seconds. Default 5. */
  readonly clockToleranceSeconds?: number;
}

/** A running JWT-bearer authorization server. */
export interface JwtBearerServerHandle {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  /** Every token request, in order, with the error it got if refused. */
  readonly requests: readonly SeenGrantRequest[];
  /** What a resource server learns about an access token it issued for `resource`, or `null`. */
  verifyAccessToken(token: string, resource: string): Promise<TokenInfo | null>;
  close(): Promise<void>;
}

/**
 * A real authorization server for the RFC 7523 JWT-bearer grant, on node:http and `jose`: RFC 8414
 * metadata, and a token endpoint that checks, in order, client authentication (when sent or
 * required), `grant_type`, that the client may use it (`unauthorized_client`), the assertion's
 * issuer (trusted), signature (the issuer's JWKS, fetched), `aud` (this issuer or its token
 * endpoint), `exp`/`nbf`, `jti` not seen before (replay), the ID-JAG rules for an `id-jag` issuer,
 * and the scope (`invalid_scope`); then issues an opaque access token bound to the `resource`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 */
export async function startJwtBearerServer(options: JwtBearerServerOptions): Promise<JwtBearerServerHandle> {
  const clients = options.clients ?? [];
  const requests: SeenGrantRequest[] = [];
  const tokens = new Map<string, TokenInfo>();
  const seenJti = new Map<string, number>();
  const keySets = new Map(options.trust.map((t) => [t.issuer, createRemoteJWKSet(new URL(t.jwksUri))]));
  let issuer = '';

  async function verifyAssertion(
    assertion: string,
    clientId: string | undefined,
    resource: string | undefined,
  ) {
    let claimedIssuer: unknown;
    try {
      decodeProtectedHeader(assertion);
      claimedIssuer = decodeJwt(assertion).iss;
    } catch (error) {
      throw new OAuthRefusal('invalid_grant', `assertion is not a JWT: ${(error as Error).message}`);
    }
    const trusted = options.trust.find((t) => t.issuer === claimedIssuer);
    const keys = keySets.get(String(claimedIssuer));
    if (trusted === undefined || keys === undefined)
      throw new OAuthRefusal('invalid_grant', `assertion issuer ${String(claimedIssuer)} is not trusted`);
    const idJag = trusted.kind === 'id-jag';
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(assertion, keys, {
        issuer: trusted.issuer,
        audience: [issuer, `${issuer}/token`],
        requiredClaims: ['sub', 'exp'],
        clockTolerance: options.clockToleranceSeconds ?? 5,
        ...(idJag ? { typ: 'oauth-id-jag+jwt' } : {}),
      }));
    } catch (error) {
      throw new OAuthRefusal('invalid_grant', `assertion: ${(error as Error).message}`);
    }
    const jti = payload.jti;
    if (typeof jti === 'string') {
      const key = `${trusted.issuer}\n${jti}`;
      if (seenJti.has(key)) throw new OAuthRefusal('invalid_grant', `assertion jti ${jti} was already used`);
      seenJti.set(key, payload.exp as number);
    } else if (idJag) throw new OAuthRefusal('invalid_grant', 'ID-JAG without jti');
    if (idJag && payload.client_id !== clientId)
      throw new OAuthRefusal(
        'invalid_grant',
        `ID-JAG client_id ${String(payload.client_id)} is not ${clientId}`,
      );
    if (idJag && resource !== undefined && payload.resource !== resource)
      throw new OAuthRefusal(
        'invalid_grant',
        `ID-JAG resource ${String(payload.resource)} is not ${resource}`,
      );
    return payload;
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const seen = newSeen(form);
    requests.push(seen);
    try {
      const { client, method } = authenticateClient(req, form, clients);
      seen.clientAuth = method;
      seen.clientId = client?.client_id;
      if (client === undefined && options.requireClientAuthentication === true)
        throw new OAuthRefusal('invalid_client', 'client authentication required', 401);
      if (form.grant_type !== JWT_BEARER)
        throw new OAuthRefusal('unsupported_grant_type', `only ${JWT_BEARER}`);
      assertClientGrant(client, JWT_BEARER);
      if (form.assertion === undefined) throw new OAuthRefusal('invalid_request', 'assertion is required');
      const claims = await verifyAssertion(form.assertion, client?.client_id, form.resource);
      const requested = form.scope?.split(' ').filter(Boolean) ?? [];
      const refused = requested.filter(
        (scope) => options.scopes !== undefined && !options.scopes.includes(scope),
      );
      if (refused.length > 0) throw new OAuthRefusal('invalid_scope', `not granted: ${refused.join(' ')}`);
      const ttl = options.accessTokenTtlSeconds ?? 3600;
      const accessToken = randomBytes(24).toString('base64url');
      tokens.set(accessToken, {
        subject: String(claims.sub),
        scopes: requested,
        expiresAt: Math.floor(Date.now() / 1000) + ttl,
        ...(client === undefined ? {} : { clientId: client.client_id }),
        ...(form.resource === undefined ? {} : { audience: [form.resource] }),
      });
      sendJson(
        res,
        200,
        {
          access_token: accessToken,
          token_type: 'Bearer',
          expires_in: ttl,
          ...(requested.length === 0 ? {} : { scope: requested.join(' ') }),
        },
        { 'cache-control': 'no-store' },
      );
    } catch (error) {
      if (error instanceof OAuthRefusal) seen.error = error.error;
      throw error;
    }
  }

  const server = await listenLoopback(options.host ?? '127.0.0.1', (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && path === '/.well-known/oauth-authorization-server') {
      sendJson(res, 200, {
        issuer,
        token_endpoint: `${issuer}/token`,
        grant_types_supported: [JWT_BEARER],
        token_endpoint_auth_methods_supported: options.authMethods ?? [
          'client_secret_basic',
          'client_secret_post',
          'none',
        ],
        ...(options.scopes === undefined ? {} : { scopes_supported: options.scopes }),
      });
    } else if (req.method === 'POST' && path === '/token') {
      token(req, res).catch((error: unknown) => {
        sendRefusal(
          res,
          error instanceof OAuthRefusal ? error : new OAuthRefusal('server_error', String(error), 500),
        );
      });
    } else sendJson(res, 404, { error: 'not_found' });
  });
  issuer = server.origin;
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    requests,
    async verifyAccessToken(accessToken, resource) {
      const info = tokens.get(accessToken);
      if (info === undefined || info.expiresAt * 1000 < Date.now()) return null;
      if (info.audience !== undefined && !info.audience.includes(resource)) return null;
      return info;
    },
    close: () => server.close(),
  };
}
