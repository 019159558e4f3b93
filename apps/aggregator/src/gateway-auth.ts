import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  type AuthorizationServerMetadata,
  DiscoveryError,
  ErrorCodes,
  type HttpClient,
  type HttpRequestInit,
} from '@oauth-discovery/core';
import { createRemoteJWKSet, customFetch, type JWTPayload, errors as joseErrors, jwtVerify } from 'jose';
import { introspect, jwksFetch } from './gateway-requests.js';

/** Who is calling: the team identity provider's issuer and the token's subject. */
export interface GatewayUser {
  readonly issuer: string;
  readonly subject: string;
  /** A stable, non-secret id of (issuer, subject) used in store keys. */
  readonly id: string;
  /** In the configured admin group (this token's claim): may see every user's status. */
  readonly admin?: true;
}

/** The single implicit user of an `auth: none` (loopback) aggregator. */
export const LOCAL_USER: GatewayUser = { issuer: 'local', subject: 'local', id: 'local' };

/** The store id of a user: SHA-256 of issuer and subject (so no server text shapes a key). */
export function userIdOf(issuer: string, subject: string): string {
  return createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 32);
}

/** A refused request: the HTTP status and the RFC 6750 error (none when no token was sent). */
export interface AuthRefusal {
  readonly status: 400 | 401 | 503;
  readonly error?: 'invalid_request' | 'invalid_token' | 'temporarily_unavailable';
  readonly description?: string;
}

/** What the verifier checks tokens against. */
export interface TokenVerifierOptions {
  /** The team issuer (`auth.issuer`). */
  readonly issuer: string;
  /** The issuer's metadata (`jwks_uri`, `introspection_endpoint`): the team issuer's discovery. */
  readonly metadata: () => Promise<AuthorizationServerMetadata>;
  /** The audience tokens must carry: the aggregator's resource URL unless configured (RFC 8707). */
  readonly audience: string;
  /** The aggregator's SSRF-guarded client: the JWKS and introspection requests go through it. */
  readonly http: HttpClient;
  /** Per-request options of those requests (the address ranges the aggregator's own resource is on). */
  readonly requestInit?: (() => HttpRequestInit) | undefined;
  /** Told why a token could not be checked (the request is answered 503): a `DiscoveryError` with its code. */
  readonly onUnavailable?: ((error: unknown) => void) | undefined;
  /** RFC 7662 introspection instead of JWT validation. */
  readonly introspection?: {
    readonly endpoint?: string | undefined;
    readonly clientId: string;
    readonly clientSecret: string;
  };
  /** The admin group: a token whose `claim` holds (or is) `value` makes its user an admin. */
  readonly admin?: { readonly claim: string; readonly value: string } | undefined;
  /** Accept JWTs whose `typ` is not `at+jwt` (RFC 9068 §2.1). */
  readonly allowUntypedJwt?: boolean;
  readonly now?: () => number;
}

const CLOCK_TOLERANCE_S = 30;

function refusal(description: string): AuthRefusal {
  return { status: 401, error: 'invalid_token', description };
}

function audiences(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((a): a is string => typeof a === 'string') : [];
}

/**
 * Checks the aggregator's own bearer tokens: a JWT access token signed by a key of the issuer's JWKS,
 * with the configured `iss`, the aggregator's resource as `aud` (RFC 8707), `exp` in the future and a
 * `sub`; or, with `introspection`, the issuer's RFC 7662 answer with the same checks. The JWKS and the
 * introspection requests go through `http` (the aggregator's SSRF-guarded client), never the global `fetch`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9068
 * @see https://www.rfc-editor.org/rfc/rfc7662
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function createTokenVerifier(options: TokenVerifierOptions) {
  const now = options.now ?? Date.now;
  const requestInit = options.requestInit ?? (() => ({}));
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

  function userOf(claims: JWTPayload | Record<string, unknown>): GatewayUser | AuthRefusal {
    const subject = claims.sub;
    if (typeof subject !== 'string' || subject === '') return refusal('the token has no subject (sub)');
    const group =
      options.admin === undefined ? undefined : (claims as Record<string, unknown>)[options.admin.claim];
    const admin =
      options.admin !== undefined &&
      // A list claim (groups, roles) or a space-separated one (scope, RFC 9068 §2.2.3).
      ((typeof group === 'string' && group.split(' ').includes(options.admin.value)) ||
        (Array.isArray(group) && group.includes(options.admin.value)));
    return {
      issuer: options.issuer,
      subject,
      id: userIdOf(options.issuer, subject),
      ...(admin ? { admin } : {}),
    };
  }

  async function viaJwt(token: string): Promise<GatewayUser | AuthRefusal> {
    if (jwks === undefined) {
      const uri = (await options.metadata()).jwks_uri;
      if (typeof uri !== 'string')
        throw new DiscoveryError(ErrorCodes.INVALID_METADATA, `${options.issuer} publishes no jwks_uri`, {
          url: options.issuer,
          expected: 'jwks_uri',
        });
      jwks = createRemoteJWKSet(new URL(uri), { [customFetch]: jwksFetch(options.http, requestInit) });
    }
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        audience: options.audience,
        currentDate: new Date(now()),
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'sub'],
        ...(options.allowUntypedJwt ? {} : { typ: 'at+jwt' }),
      });
      return userOf(payload);
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return refusal('the token expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed)
        return refusal(`the token's ${error.claim} claim is not accepted`);
      if (error instanceof joseErrors.JWKSTimeout) throw error;
      if (error instanceof joseErrors.JOSEError) return refusal('the token is not a valid access token');
      throw error;
    }
  }

  async function viaIntrospection(token: string): Promise<GatewayUser | AuthRefusal> {
    const config = options.introspection as NonNullable<TokenVerifierOptions['introspection']>;
    let endpoint = config.endpoint;
    if (endpoint === undefined) {
      const advertised = (await options.metadata()).introspection_endpoint;
      if (typeof advertised !== 'string')
        throw new DiscoveryError(
          ErrorCodes.INVALID_METADATA,
          `${options.issuer} advertises no introspection_endpoint`,
          { url: options.issuer, expected: 'introspection_endpoint' },
        );
      endpoint = advertised;
    }
    const answer = await introspect(options.http, endpoint, token, config, requestInit());
    if (answer.active !== true) return refusal('the token is not active');
    if (answer.iss !== undefined && answer.iss !== options.issuer)
      return refusal("the token's iss claim is not accepted");
    if (!audiences(answer.aud).includes(options.audience))
      return refusal("the token's aud claim is not accepted");
    if (typeof answer.exp !== 'number' || answer.exp * 1000 <= now() - CLOCK_TOLERANCE_S * 1000)
      return refusal('the token expired');
    return userOf(answer);
  }

  return {
    /** The caller, or why the request is refused. Never throws: an unreachable issuer is a 503. */
    async verify(headers: IncomingHttpHeaders): Promise<GatewayUser | AuthRefusal> {
      const header = headers.authorization;
      if (header === undefined || header === '') return { status: 401 };
      const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header);
      if (match?.[1] === undefined)
        return { status: 400, error: 'invalid_request', description: 'Authorization is not a Bearer token' };
      try {
        return options.introspection ? await viaIntrospection(match[1]) : await viaJwt(match[1]);
      } catch (error) {
        options.onUnavailable?.(error);
        return {
          status: 503,
          error: 'temporarily_unavailable',
          description: 'the identity provider could not be reached to check the token',
        };
      }
    },
  };
}

/** The verifier {@link createTokenVerifier} returns. */
export type TokenVerifier = ReturnType<typeof createTokenVerifier>;

/** Whether a verification result is a refusal. */
export function isRefusal(value: GatewayUser | AuthRefusal): value is AuthRefusal {
  return 'status' in value;
}

/** The RFC 6750 §3 challenge naming the aggregator's RFC 9728 metadata. */
export function challenge(resourceMetadataUrl: string, refused: AuthRefusal): string {
  const quote = (text: string) => text.replace(/["\\]/g, '');
  return [
    `Bearer resource_metadata="${quote(resourceMetadataUrl)}"`,
    ...(refused.error ? [`error="${refused.error}"`] : []),
    ...(refused.description ? [`error_description="${quote(refused.description)}"`] : []),
  ].join(', ');
}
