import type { DiscoveryResult, HttpClient, HttpRequestInit } from '@oauth-discovery/core';
import { createHttpClient, resourceAddressRanges } from '@oauth-discovery/core/http';
import { normalizeResource } from '@oauth-discovery/core/metadata';
import { fetch as undiciFetch } from 'undici';
import { createAuthFetch } from './auth-fetch.js';
import { createDefaultDiscoverer, type DiscoveryOptions } from './default-discovery.js';
import { type DPoPSetting, dpopPolicy } from './dpop/options.js';
import { type McpAuthEventListener, safeListener } from './events.js';
import type { FetchLike } from './fetch-like.js';
import type { FrontChannelOptions } from './flow.js';
import type { GrantOptions } from './grants/options.js';
import { assertGrantOptions } from './grants/runner.js';
import type { ClientOptions } from './oauth/registration.js';
import { createSession, type Discoverer, type Session } from './session.js';
import { createMemoryStore } from './store/memory-store.js';
import type { StoredTokens, TokenStore } from './store/types.js';

/** Options of an OAuth provider for one MCP server (the same for both SDK lines). */
export interface OAuthProviderOptions extends ClientOptions, FrontChannelOptions {
  /** The MCP server (protected resource) URL. */
  readonly serverUrl: string | URL;
  /** A discovery pipeline (or anything with its `discover`), or options for the recommended one. Default: the recommended pipeline. */
  readonly discovery?: Discoverer | DiscoveryOptions | undefined;
  /** HTTP client for token and registration requests. Default: core's `createHttpClient`. */
  readonly http?: HttpClient | undefined;
  /** Let discovery, token, registration and headless requests reach private addresses. Weakens the SSRF guard. */
  readonly allowPrivateNetwork?: boolean | undefined;
  /** Where tokens and registrations live. Default: {@link createMemoryStore} (connectWithOAuth defaults to the file store). */
  readonly store?: TokenStore | undefined;
  /** Scope override (space separated or a list); default: the discovery's choice (challenge → PRM → hints). */
  readonly scope?: string | readonly string[] | undefined;
  /** May the provider start an authorization? Default true; false makes missing/unrefreshable tokens `LOGIN_REQUIRED`. */
  readonly interactive?: boolean | undefined;
  /** Refresh this many seconds before the access token expires. Default 60. */
  readonly refreshSkewSeconds?: number | undefined;
  /** Most step-up authorizations after 403 `insufficient_scope` per session. Default 3. */
  readonly maxStepUps?: number | undefined;
  /** Most authorizations per session, the first one and step-ups together. Default 3 (the MCP conformance suite's limit). */
  readonly maxAuthorizations?: number | undefined;
  readonly onEvent?: McpAuthEventListener | undefined;
  /**
   * A grant instead of the browser: on a 401, discovery then this grant — `client_credentials`,
   * `jwt-bearer` (workload identity federation) or `token-exchange` (enterprise-managed authorization).
   */
  readonly grant?: GrantOptions | undefined;
  /**
   * DPoP (RFC 9449): `true` or `DPoPOptions` (`when`, `algorithms`) to get access tokens bound to a key of this client
   * (kept per authorization server in the store) and present them with a proof per MCP request.
   * Default: Bearer tokens.
   */
  readonly dpop?: DPoPSetting | undefined;
}

/** undici's fetch typed as a transport's `FetchLike` (the same WHATWG shapes, separate type declarations). */
export const undiciFetchLike: FetchLike = undiciFetch as unknown as FetchLike;

/** The session API both SDK adapters' providers offer besides the SDK's own provider interface. */
export interface AuthSessionApi {
  /** The resource this provider authorizes for. */
  readonly serverUrl: string;
  /** The last discovery result, if discovery ran. */
  readonly result: DiscoveryResult | undefined;
  /** Runs discovery (once per challenge) and returns its result. */
  discover(): Promise<DiscoveryResult>;
  /** Tokens usable now: stored, refreshed before expiry, or newly authorized (when interactive). */
  ensureTokens(): Promise<StoredTokens>;
  /** A new authorization whatever is stored (what `login` does). */
  authorize(): Promise<StoredTokens>;
  /**
   * Wraps the transport's fetch: the token on every request, 401 and 403 `insufficient_scope`
   * answered by discovery with the challenge, authorization or step-up, and the request sent again
   * (see {@link createAuthFetch}).
   */
  wrapFetch(base?: FetchLike): FetchLike;
  /** Closes what the provider created (its HTTP client and pipeline). */
  close(): Promise<void>;
}

/** What both SDK adapters are built on: the session and what it was made with. */
export interface AuthSession extends AuthSessionApi {
  readonly session: Session;
  readonly store: TokenStore;
  readonly http: HttpClient;
  /** Per-request options for token and registration requests (e.g. `allowAddressRanges`). */
  readonly init: HttpRequestInit;
  readonly emit: McpAuthEventListener;
  /** The scope override, space separated. */
  readonly scope: string | undefined;
  readonly clientOptions: ClientOptions;
  readonly options: OAuthProviderOptions;
}

/**
 * `own` with the {@link AuthSessionApi} of `base` added, each member delegating to the session: what
 * both SDK adapters' providers are made of. Accessors of `own` stay accessors.
 */
export function withSessionApi<Own extends object>(base: AuthSession, own: Own): Own & AuthSessionApi {
  const api: AuthSessionApi = {
    serverUrl: base.serverUrl,
    get result() {
      return base.result;
    },
    discover: () => base.discover(),
    ensureTokens: () => base.ensureTokens(),
    authorize: () => base.authorize(),
    wrapFetch: (fetch?: FetchLike) => base.wrapFetch(fetch),
    close: () => base.close(),
  };
  return Object.defineProperties(api, Object.getOwnPropertyDescriptors(own)) as Own & AuthSessionApi;
}

function isDiscoverer(value: unknown): value is Discoverer {
  return typeof (value as Discoverer | undefined)?.discover === 'function';
}

/**
 * Creates the OAuth session of one MCP server with the defaults of the provider options: the
 * recommended discovery pipeline, core's HTTP client (a local MCP server may use a local
 * authorization server, like the pipeline allows), a memory store.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/authorization
 */
export function createAuthSession(options: OAuthProviderOptions): AuthSession {
  if (options.grant !== undefined) assertGrantOptions(options.grant);
  const serverUrl = String(options.serverUrl);
  const localRanges = resourceAddressRanges(normalizeResource(serverUrl));
  const init: HttpRequestInit = localRanges.length === 0 ? {} : { allowAddressRanges: localRanges };
  const ownsHttp = options.http === undefined;
  const http = options.http ?? createHttpClient({ allowPrivateNetwork: options.allowPrivateNetwork });
  const ownsDiscovery = !isDiscoverer(options.discovery);
  const discovery = isDiscoverer(options.discovery)
    ? options.discovery
    : createDefaultDiscoverer({
        ...options.discovery,
        allowPrivateNetwork: options.allowPrivateNetwork ?? options.discovery?.allowPrivateNetwork,
      });
  const store = options.store ?? createMemoryStore();
  const emit = safeListener(options.onEvent);
  const scope = typeof options.scope === 'string' ? options.scope : options.scope?.join(' ');
  const clientOptions: ClientOptions = {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    clientMetadataUrl: options.clientMetadataUrl,
    clientName: options.clientName,
  };
  const session = createSession({
    serverUrl,
    discovery,
    http,
    init,
    store,
    client: clientOptions,
    frontChannel: options,
    scope,
    interactive: options.interactive ?? true,
    refreshSkewSeconds: options.refreshSkewSeconds ?? 60,
    maxStepUps: options.maxStepUps ?? 3,
    maxAuthorizations: options.maxAuthorizations ?? 3,
    emit,
    grant: options.grant,
    dpop: dpopPolicy(options.dpop),
  });
  return {
    serverUrl,
    session,
    store,
    http,
    init,
    emit,
    scope,
    clientOptions,
    options,
    get result() {
      return session.current();
    },
    discover: () => session.discover(),
    ensureTokens: () => session.ensureTokens(),
    authorize: () => session.authorize(),
    wrapFetch: (base = undiciFetchLike) => createAuthFetch(session, base),
    async close() {
      if (ownsHttp) await (http as { close?: () => Promise<void> }).close?.();
      if (ownsDiscovery) await (discovery as { close?: () => Promise<void> }).close?.();
    },
  };
}
