import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  DiscoveryError,
  type DiscoveryResult,
  type HttpClient,
  isSecurityError,
} from '@oauth-discovery/core';
import {
  buildAuthorizationUrl,
  createPkcePair,
  createState,
  engineConfiguration,
  exchangeAuthorizationCode,
  FlowErrorCodes,
  processAuthorizationResponse,
} from '@oauth-discovery/mcp';
import type { Store } from '@oauth-discovery/store';
import type { Configuration } from 'openid-client';
import { requestInitFor } from './clients.js';
import { type GatewayUser, isRefusal, type TokenVerifier } from './gateway-auth.js';
import type { TeamIssuer } from './team-issuer.js';

/** The status page's own sign-in at the team issuer. */
export interface BrowserSignInOptions {
  readonly issuer: string;
  /** The team issuer's discovery result (for the aggregator's resource): what the engine reads. */
  readonly teamIssuer: TeamIssuer;
  /** The aggregator's SSRF-guarded client: the token request goes through it. */
  readonly http: HttpClient;
  /** Told each security relaxation the engine applies (loopback `http:` endpoints). */
  readonly onRelaxation?: ((relaxation: string) => void) | undefined;
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
  /** Scopes to ask for besides `openid` (the resource's). */
  readonly scopes: readonly string[];
  readonly store: Store;
  readonly verifier: TokenVerifier;
  /** The aggregator's public base URL, known once it listens. */
  readonly base: () => string;
  readonly sessionSeconds: number;
}

/** Name of the status page's session cookie. */
export const SESSION_COOKIE = 'aggregator_session';

const signInKey = (state: string) => `ui-signin/${state}`;
/** Sessions are stored under the hash of their id: the store never holds a usable cookie. */
const sessionKey = (id: string) => `ui-session/${createHash('sha256').update(id).digest('hex')}`;

function cookieOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  for (const part of (headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * Browser sign-in to the status page at the team issuer: authorization code + PKCE S256 run by the flow
 * engine of `@oauth-discovery/mcp` on the team issuer's discovery result ({@link TeamIssuer}) — its
 * authorization URL (PKCE refusal, RFC 8707 `resource` = the aggregator's resource), its response check
 * (`state`, then RFC 9207 `iss`) and its code exchange — asking for an access token for the
 * aggregator's own resource, which is checked by the same rules as any bearer token; the session is a
 * random id in an `HttpOnly`, `SameSite=Lax` cookie, kept (hashed) in the store, so any instance knows
 * it. Only the page and its forms accept the cookie — the MCP endpoint wants a bearer token.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc8707
 * @see https://www.rfc-editor.org/rfc/rfc9207
 */
export function createBrowserSignIn(options: BrowserSignInOptions) {
  const redirectUri = () => `${options.base()}/ui/callback`;
  const configurationOf = (result: DiscoveryResult): Configuration =>
    engineConfiguration(
      result,
      { clientId: options.clientId, clientSecret: options.clientSecret },
      {
        http: options.http,
        init: requestInitFor(result.resource),
        onRelaxation: options.onRelaxation,
      },
    );

  return {
    /** The URL of the team issuer to send the browser to. */
    async start(): Promise<string> {
      const result = await options.teamIssuer.discover();
      const pkce = createPkcePair();
      const state = createState();
      await options.store.set(signInKey(state), JSON.stringify({ verifier: pkce.codeVerifier }), {
        ttlMs: 600_000,
      });
      return buildAuthorizationUrl(configurationOf(result), result, {
        redirectUri: redirectUri(),
        state,
        codeChallenge: pkce.codeChallenge,
        scope: ['openid', ...options.scopes].join(' '),
      }).href;
    },
    /**
     * Finishes a sign-in; resolves to the `Set-Cookie` value of the new session.
     *
     * @throws {DiscoveryError} `STATE_MISMATCH` (no sign-in with this state), `ISSUER_MISMATCH` (RFC 9207
     *   `iss` of another issuer), `AUTHORIZATION_FAILED` (refused, failed code exchange, unaccepted token).
     */
    async finish(query: URLSearchParams): Promise<string> {
      const state = query.get('state') ?? '';
      const stored = state === '' ? undefined : await options.store.get(signInKey(state));
      const claimed =
        stored !== undefined &&
        (await options.store.delete(signInKey(state), { ifVersion: stored.version })).ok;
      if (stored === undefined || !claimed)
        throw new DiscoveryError(
          FlowErrorCodes.STATE_MISMATCH,
          'No sign-in in progress matches this callback; sign in again',
          {
            expected: 'the state of a sign-in in progress',
            actual: state,
          },
        );
      const { verifier } = JSON.parse(stored.value) as { verifier: string };
      let accessToken: string;
      try {
        const result = await options.teamIssuer.discover();
        const { metadata } = result.authorizationServer;
        // The engine's check: state, then RFC 9207 iss, and only then the server's error.
        const code = processAuthorizationResponse(query, {
          expectedState: state,
          issuer: metadata.issuer,
          issRequired: metadata.authorization_response_iss_parameter_supported === true,
          url: redirectUri(),
        });
        const tokens = await exchangeAuthorizationCode(configurationOf(result), result, {
          code,
          state,
          redirectUri: redirectUri(),
          codeVerifier: verifier,
        });
        accessToken = tokens.accessToken;
      } catch (cause) {
        // A mix-up (ISSUER_MISMATCH) or another security error keeps its own code.
        if (isSecurityError(cause)) throw cause;
        throw new DiscoveryError(
          FlowErrorCodes.AUTHORIZATION_FAILED,
          `Sign-in at ${options.issuer} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
          { expected: 'an access token for the aggregator', cause },
        );
      }
      const user = await options.verifier.verify({ authorization: `Bearer ${accessToken}` });
      if (isRefusal(user))
        throw new DiscoveryError(
          FlowErrorCodes.AUTHORIZATION_FAILED,
          `Sign-in at ${options.issuer} gave a token the aggregator does not accept (${user.description ?? user.error})`,
          { expected: 'an access token for the aggregator', actual: user.description },
        );
      const id = randomBytes(32).toString('base64url');
      await options.store.set(sessionKey(id), JSON.stringify(user), { ttlMs: options.sessionSeconds * 1000 });
      const secure = options.base().startsWith('https:') ? '; Secure' : '';
      return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${options.sessionSeconds}${secure}`;
    },
    /** The user of the request's session cookie, if it has a live one. */
    async userOf(headers: IncomingHttpHeaders): Promise<GatewayUser | undefined> {
      const id = cookieOf(headers, SESSION_COOKIE);
      if (id === undefined || !/^[A-Za-z0-9_-]{20,100}$/.test(id)) return undefined;
      const stored = await options.store.get(sessionKey(id));
      return stored === undefined ? undefined : (JSON.parse(stored.value) as GatewayUser);
    },
  };
}

/** The sign-in {@link createBrowserSignIn} returns. */
export type BrowserSignIn = ReturnType<typeof createBrowserSignIn>;
