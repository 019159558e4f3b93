import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { DiscoveryError } from '@oauth-discovery/core';
import { isLoopbackHost } from '@oauth-discovery/core/http';
import { FlowErrorCodes } from '@oauth-discovery/mcp';
import type { Store } from '@oauth-discovery/store';
import {
  allowInsecureRequests,
  authorizationCodeGrant,
  buildAuthorizationUrl,
  Configuration,
  calculatePKCECodeChallenge,
  randomPKCECodeVerifier,
  randomState,
} from 'openid-client';
import { type GatewayUser, isRefusal, issuerMetadata, type TokenVerifier } from './gateway-auth.js';

/** The status page's own sign-in at the team issuer. */
export interface BrowserSignInOptions {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
  /** Scopes to ask for besides `openid` (the resource's). */
  readonly scopes: readonly string[];
  readonly store: Store;
  readonly verifier: TokenVerifier;
  /** The aggregator's public base URL and resource, known once it listens. */
  readonly base: () => string;
  readonly resource: () => string;
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
 * Browser sign-in to the status page at the team issuer: authorization code + PKCE with openid-client,
 * asking for an access token for the aggregator's own resource (RFC 8707), which is checked by the same
 * rules as any bearer token; the session is a random id in an `HttpOnly`, `SameSite=Lax` cookie, kept
 * (hashed) in the store, so any instance knows it. Only the page and its forms accept the cookie — the
 * MCP endpoint wants a bearer token.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc8707
 */
export function createBrowserSignIn(options: BrowserSignInOptions) {
  let configuration: Promise<Configuration> | undefined;
  const redirectUri = () => `${options.base()}/ui/callback`;
  const load = async (): Promise<Configuration> => {
    const metadata = await issuerMetadata(options.issuer);
    const config = new Configuration(
      metadata as ConstructorParameters<typeof Configuration>[0],
      options.clientId,
      options.clientSecret,
    );
    // Plain http is only configurable for a loopback issuer (config check).
    if (isLoopbackHost(new URL(options.issuer).hostname)) allowInsecureRequests(config);
    return config;
  };
  const configured = () => {
    configuration ??= load().catch((error: unknown) => {
      configuration = undefined;
      throw error;
    });
    return configuration;
  };

  return {
    /** The URL of the team issuer to send the browser to. */
    async start(): Promise<string> {
      const config = await configured();
      const verifier = randomPKCECodeVerifier();
      const state = randomState();
      await options.store.set(signInKey(state), JSON.stringify({ verifier }), { ttlMs: 600_000 });
      return buildAuthorizationUrl(config, {
        redirect_uri: redirectUri(),
        response_type: 'code',
        scope: ['openid', ...options.scopes].join(' '),
        resource: options.resource(),
        code_challenge: await calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      }).href;
    },
    /**
     * Finishes a sign-in; resolves to the `Set-Cookie` value of the new session.
     *
     * @throws {DiscoveryError} `STATE_MISMATCH` (no sign-in with this state), `AUTHORIZATION_FAILED`.
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
      const current = new URL(redirectUri());
      current.search = query.toString();
      let accessToken: string;
      try {
        const response = await authorizationCodeGrant(
          await configured(),
          current,
          { pkceCodeVerifier: verifier, expectedState: state },
          { resource: options.resource() },
        );
        accessToken = response.access_token;
      } catch (cause) {
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
