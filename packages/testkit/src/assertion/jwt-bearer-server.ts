import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, type JWTVerifyOptions, jwtVerify } from 'jose';
import { DPOP_ALGORITHMS } from '../dpop-proof.js';
import { listenLoopback, sendJson } from '../http-util.js';
import type { TokenInfo } from '../token-info.js';
import { assertClientGrant, type GrantServerClient, OAuthRefusal, type SeenGrantRequest } from './form.js';
import {
  createTokenEndpointDPoP,
  type TokenEndpointDPoP,
  type TokenEndpointDPoPOptions,
} from './token-dpop.js';
import { tokenEndpoint } from './token-endpoint.js';

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
  /**
   * DPoP (RFC 9449): proofs checked at the token endpoint, DPoP-bound tokens (`token_type` `DPoP`,
   * `cnf.jkt` in what {@link JwtBearerServerHandle.verifyAccessToken} returns) issued for them, and
   * `dpop_signing_alg_values_supported` advertised. Default: off (a `DPoP` header is ignored).
   */
  readonly dpop?: TokenEndpointDPoPOptions | undefined;
}

/** A running JWT-bearer authorization server. */
export interface JwtBearerServerHandle {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  /** Every token request, in order, with the error it got if refused. */
  readonly requests: readonly SeenGrantRequest[];
  /** The token endpoint's DPoP checker (with `dpop`): its nonce, accepted proofs and nonce challenges. */
  readonly dpop: TokenEndpointDPoP | undefined;
  /** What a resource server learns about an access token it issued for `resource`, or `null`. */
  verifyAccessToken(token: string, resource: string): Promise<TokenInfo | null>;
  close(): Promise<void>;
}

/**
 * A real authorization server for the RFC 7523 JWT-bearer grant, on node:http and `jose`: RFC 8414
 * metadata, and a token endpoint that checks, in order, client authentication (when sent or
 * required), `grant_type`, that the client may use it (`unauthorized_client`), the DPoP proof and
 * its nonce (with `dpop`: before the assertion, so a nonce retry does not find its `jti` used), the
 * assertion's issuer (trusted), signature (the issuer's JWKS, fetched), `aud` (this issuer or its
 * token endpoint), `exp`/`nbf`, `jti` not seen before (replay), the ID-JAG rules for an `id-jag`
 * issuer, and the scope (`invalid_scope`); then issues an opaque access token bound to the
 * `resource` (and to the proof's key: `token_type` `DPoP`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 */
export async function startJwtBearerServer(options: JwtBearerServerOptions): Promise<JwtBearerServerHandle> {
  const clients = options.clients ?? [];
  const requests: SeenGrantRequest[] = [];
  const tokens = new Map<string, TokenInfo>();
  const seenJti = new Map<string, number>();
  const keySets = new Map(options.trust.map((t) => [t.issuer, createRemoteJWKSet(new URL(t.jwksUri))]));
  const dpop = options.dpop === undefined ? undefined : createTokenEndpointDPoP(options.dpop);
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
    const rules: JWTVerifyOptions = {
      issuer: trusted.issuer,
      audience: [issuer, `${issuer}/token`],
      requiredClaims: ['sub', 'exp'],
      clockTolerance: options.clockToleranceSeconds ?? 5,
    };
    if (idJag) rules.typ = 'oauth-id-jag+jwt';
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(assertion, keys, rules));
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

  const token = tokenEndpoint(clients, requests, async ({ req, form, client }) => {
    if (client === undefined && options.requireClientAuthentication === true)
      throw new OAuthRefusal('invalid_client', 'client authentication required', 401);
    if (form.grant_type !== JWT_BEARER)
      throw new OAuthRefusal('unsupported_grant_type', `only ${JWT_BEARER}`);
    assertClientGrant(client, JWT_BEARER);
    if (form.assertion === undefined) throw new OAuthRefusal('invalid_request', 'assertion is required');
    // The proof (and its nonce) before the assertion: a nonce retry must not find its jti used.
    const jkt = await dpop?.check(req, `${issuer}/token`);
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
      clientId: client?.client_id,
      audience: form.resource === undefined ? undefined : [form.resource],
      jkt,
    });
    return {
      access_token: accessToken,
      token_type: jkt === undefined ? 'Bearer' : 'DPoP',
      expires_in: ttl,
      scope: requested.length === 0 ? undefined : requested.join(' '),
    };
  });

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
        scopes_supported: options.scopes,
        dpop_signing_alg_values_supported: dpop === undefined ? undefined : DPOP_ALGORITHMS,
      });
    } else if (req.method === 'POST' && path === '/token') {
      token(req, res);
    } else sendJson(res, 404, { error: 'not_found' });
  });
  issuer = server.origin;
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    requests,
    dpop,
    async verifyAccessToken(accessToken, resource) {
      const info = tokens.get(accessToken);
      if (info === undefined || info.expiresAt * 1000 < Date.now()) return null;
      if (info.audience !== undefined && !info.audience.includes(resource)) return null;
      return info;
    },
    close: () => server.close(),
  };
}
