import type { DiscoveryError } from './errors.js';
import type { AddressRange } from './http/address-policy.js';
import type { AuthorizationServerMetadata, ProtectedResourceMetadata } from './metadata/schemas.js';
import type { DiscoveryTrace, HttpAttempt, TraceMiss } from './trace/types.js';

/**
 * The parts of a `WWW-Authenticate` challenge that discovery uses (RFC 6750 §3, RFC 9728 §5.1).
 * Produced by the `www-authenticate` strategy from the header the caller passes in (or from a probe).
 */
export interface ResourceChallenge {
  /** Auth scheme of the challenge these values came from, e.g. `Bearer` or `DPoP`. */
  readonly scheme: string;
  /** `resource_metadata` parameter: where the protected resource metadata lives (RFC 9728 §5.1). */
  readonly resourceMetadata?: string | undefined;
  /** `scope` parameter, split on spaces. Authoritative for the scope to request (MCP 2025-11-25). */
  readonly scope?: readonly string[] | undefined;
  /** `error` parameter (`invalid_token`, `insufficient_scope`, …). */
  readonly error?: string | undefined;
  readonly errorDescription?: string | undefined;
  /** HTTP status of the response that carried the challenge (401 or 403), when known. */
  readonly status?: number | undefined;
  /** Every parameter of the challenge, names lower-cased. */
  readonly params: Readonly<Record<string, string>>;
}

/** Where an issuer candidate came from and how its metadata must be checked. */
export interface IssuerCandidate {
  /** The issuer identifier used to build the well-known metadata URLs. */
  readonly issuer: string;
  /** Name of the strategy that contributed it (`rfc9728`, `preset:atlassian`, `static-config`, …). */
  readonly source: string;
  /**
   * Issuer values (other than `issuer` itself) that the metadata may name and still be accepted.
   * Only presets and static configuration set this: it is the explicit, traced exception to
   * RFC 8414 §3.3 for providers known to publish a foreign issuer.
   */
  readonly acceptedIssuers?: readonly string[] | undefined;
}

/** A well-known metadata URL form (RFC 8414 §3.1 insertion, OIDC Discovery insertion, OIDC Discovery §4 appending). */
export type MetadataUrlKind = 'oauth' | 'oidc-insert' | 'oidc-append';

/**
 * What a preset or static configuration knows about an authorization server, applied to every issuer
 * candidate it matches — including candidates learned later (e.g. a per-tenant issuer named by the PRM).
 */
export interface IssuerPolicy {
  /** The issuers it applies to: an exact issuer, or every issuer that starts with `prefix`. */
  readonly match: { readonly exact: string } | { readonly prefix: string };
  /** Issuer values the metadata may name instead of the candidate (traced exception to RFC 8414 §3.3). */
  readonly acceptedIssuers?: readonly string[];
  /** Restricts which well-known URL forms are tried (Entra: only `oidc-append`). */
  readonly metadataUrlKinds?: readonly MetadataUrlKind[];
  /** Hints that apply when this authorization server is the one used. */
  readonly hints?: ProviderHints;
  /**
   * The metadata URL to fetch for matching issuers instead of the well-known URLs (a provider that
   * publishes its metadata elsewhere). The issuer check still applies to what it serves.
   */
  readonly metadataUrl?: string;
  /**
   * Why each accepted issuer is accepted, by issuer: the dated fact a person reads in the trace when the
   * alias is used (`observed 2026-03; slack-skills-plugin#7`).
   */
  readonly acceptedIssuerNotes?: Readonly<Record<string, string>>;
  /**
   * Prefer matching issuers when the protected resource metadata lists several authorization servers
   * (see `chooseAuthorizationServer`).
   */
  readonly pin?: boolean;
  /** Name of the strategy that contributed it. */
  readonly source: string;
}

/**
 * A traced exception to the RFC 9728 §3.3 resource check: for the resources a preset matched, the
 * protected resource metadata may name `resource` instead of the requested one (HubSpot's root PRM names
 * the bare origin). Contributed only by presets, only for the resources they match.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.3
 */
export interface ResourceIdentifierException {
  /** The `resource` value the metadata may name (exactly, one trailing `/` aside). */
  readonly resource: string;
  /** Who allowed it (`preset:hubspot`). */
  readonly source: string;
  /** The fact that allows it, as a person reads it (with its date and source). */
  readonly because: string;
}

/** How a client can get a client id at an authorization server; `preferredRegistration` names one. */
export type RegistrationMethod = 'dcr' | 'cimd' | 'preregistered';

/** Facts about a provider that the flow layer needs, contributed by presets and static configuration. */
export interface ProviderHints {
  /** The provider has no dynamic registration: a pre-registered client id is required. */
  readonly requiresPreregisteredClient?: boolean;
  /** The provider supports PKCE S256 even though its metadata does not advertise it. */
  readonly pkceS256KnownSupported?: boolean;
  /** Do not send the RFC 8707 `resource` parameter (the provider rejects it). */
  readonly omitResourceParameter?: boolean;
  /** Scopes to request when neither the challenge nor the PRM names any. */
  readonly defaultScopes?: readonly string[];
  /** A pre-registered client id known for this provider or configured by the operator. */
  readonly clientId?: string;
  /**
   * With `requiresPreregisteredClient`: what the user must do to get a client id (where to create an
   * OAuth app), shown when none is configured.
   */
  readonly preregisteredClientMessage?: string;
  /** Extra authorization request parameters the provider needs (Auth0: `audience`). */
  readonly extraAuthorizationParameters?: Readonly<Record<string, string>>;
  /** The registration method to use when several are available (Linear: `dcr` over `cimd`). */
  readonly preferredRegistration?: RegistrationMethod;
  /**
   * Client metadata fields to send with dynamic client registration (RFC 7591 §2) that the provider
   * requires (Stripe: `client_name`; Notion: `token_endpoint_auth_method: none`).
   */
  readonly registrationFields?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * Exceptions to the RFC 9728 §3.3 resource check for this resource, contributed by presets only (not
   * writable in static configuration hints). The `rfc9728` strategy applies them and traces each use.
   */
  readonly resourceIdentifierExceptions?: readonly ResourceIdentifierException[];
  /** Free-form, dated facts for display (`preset:atlassian: issuer observed 2026-10-01 …`). */
  readonly notes?: readonly string[];
}

/** How the `issuer` of the accepted authorization server metadata was checked. */
export type IssuerCheck =
  /** RFC 8414 §3.3: the metadata named exactly the issuer used to build its URL. */
  | 'exact'
  /** A preset or static config pinned an alias that the metadata named instead (traced). */
  | 'alias'
  /** Legacy MCP 2025-03-26 origin fallback: no issuer was expected, the document's issuer was adopted (traced). */
  | 'adopted'
  /** Metadata came from static configuration, no fetch and no check. */
  | 'configured'
  /** No metadata anywhere: default endpoints at the resource origin (MCP 2025-03-26 §2.3.3). */
  | 'guessed';

/** Protected resource metadata that passed the RFC 9728 §3.3 resource check. */
export interface ResourceMetadataFound {
  readonly url: string;
  readonly document: ProtectedResourceMetadata;
}

/** Authorization server metadata that passed the issuer check (or one of its traced exceptions). */
export interface AuthorizationServerFound {
  readonly issuer: string;
  /** URL the metadata was fetched from; `null` when configured inline or guessed. */
  readonly metadataUrl: string | null;
  readonly metadata: AuthorizationServerMetadata;
  readonly issuerCheck: IssuerCheck;
  /** Name of the strategy that found it. */
  readonly source: string;
}

/** What a discovery knows so far. Strategies read it and contribute to it through {@link Contribution}. */
export interface DiscoveryState {
  /** The protected resource as the caller gave it (absolute URL, fragment removed). */
  readonly resource: string;
  /** Raw `WWW-Authenticate` header value the caller already has from a 401/403, if any. */
  readonly wwwAuthenticate?: string | undefined;
  /** HTTP status of the response that carried `wwwAuthenticate`. */
  readonly wwwAuthenticateStatus?: number | undefined;
  readonly challenge?: ResourceChallenge;
  readonly resourceMetadata?: ResourceMetadataFound;
  /** Candidate authorization servers in preference order, without duplicates. */
  readonly issuers: readonly IssuerCandidate[];
  readonly authorizationServer?: AuthorizationServerFound;
  readonly hints: ProviderHints;
  /** Policies from presets and static configuration, in the order contributed (see `issuerPolicyFor`). */
  readonly issuerPolicies: readonly IssuerPolicy[];
}

/** What a strategy adds to the state. The runner merges it: `issuers` are appended (deduplicated), `hints` merged, the rest set once. */
export interface Contribution {
  readonly challenge?: ResourceChallenge | undefined;
  readonly resourceMetadata?: ResourceMetadataFound | undefined;
  readonly issuers?: readonly IssuerCandidate[] | undefined;
  readonly authorizationServer?: AuthorizationServerFound | undefined;
  readonly hints?: ProviderHints | undefined;
  /** Appended to `state.issuerPolicies`. */
  readonly issuerPolicies?: readonly IssuerPolicy[] | undefined;
}

/** Keys of the state a strategy can contribute; used to skip strategies with nothing left to add. */
export type ContributionKey = keyof Contribution;

/** Result of one strategy run. Expected misses are outcomes, not exceptions. */
export type StrategyOutcome =
  | { readonly status: 'found'; readonly contribution: Contribution; readonly notes?: readonly string[] }
  | {
      readonly status: 'not-found';
      readonly reason: string;
      readonly notes?: readonly string[];
      /**
       * Every URL that served nothing usable, and why (`tryInOrder` returns them). A miss that is not
       * a definitive "not here" (a timeout, a 5xx, a broken document) makes the discovery fail with
       * that cause instead of falling back to guessed endpoints.
       */
      readonly misses?: readonly TraceMiss[] | undefined;
    }
  | { readonly status: 'skipped'; readonly reason: string };

/** Options of a single HTTP request made through {@link HttpClient}. */
export interface HttpRequestInit {
  readonly method?: 'GET' | 'POST' | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * What the response body must be. `json` (default) requires a JSON content type on 2xx responses
   * and parses the body; `any` reads it as text (used for the unauthenticated MCP probe).
   */
  readonly expect?: 'json' | 'any' | undefined;
  /**
   * Address ranges the SSRF guard allows for this request on top of the client's policy. Set by the
   * pipeline runner when the resource itself is on such an address (a local MCP server may use a local
   * authorization server); strategies never set it.
   */
  readonly allowAddressRanges?: readonly AddressRange[] | undefined;
}

/** A response read in full (bodies are capped, so this is always small). */
export interface HttpResponse {
  /** URL of the final response, after any redirects that were followed. */
  readonly url: string;
  readonly status: number;
  /** Response headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** Body as text (empty for HEAD-like responses). */
  readonly text: string;
  /** Parsed JSON for 2xx responses when `expect` was `json`; otherwise undefined. */
  readonly json?: unknown;
  /** The attempt as recorded in the trace. */
  readonly attempt: HttpAttempt;
}

/**
 * The only way a strategy touches the network. Transport and policy failures (timeouts, blocked
 * addresses, oversized or non-JSON bodies, bad redirects) reject with a {@link DiscoveryError};
 * any HTTP status resolves.
 */
export interface HttpClient {
  request(url: string | URL, init?: HttpRequestInit): Promise<HttpResponse>;
}

/** What the runner hands a strategy. */
export interface StrategyContext {
  readonly state: Readonly<DiscoveryState>;
  /** Records every attempt in this step's trace; shares the per-discovery memo with speculation. */
  readonly http: HttpClient;
  readonly signal: AbortSignal;
  /** Adds a line to this step's trace (decisions worth showing a person: "issuer adopted …"). */
  note(message: string): void;
}

/** A discovery strategy: one standard way (or one provider's facts) to learn about the authorization server. */
export interface DiscoveryStrategy {
  /** Stable name shown in the trace: `rfc9728`, `www-authenticate`, `preset:atlassian`, … */
  readonly name: string;
  /**
   * State keys this strategy fills. The runner skips it (and says so in the trace) when all of
   * them are already known; `issuers` counts as known when non-empty. Empty or absent: never skipped by the runner.
   */
  readonly contributes?: readonly ContributionKey[];
  /** Runs when it can still help; returns what it found, or why not. Throws only for security errors and aborts. */
  run(ctx: StrategyContext): Promise<StrategyOutcome>;
  /** URLs it will probably GET given this state, so the runner can start them early (speculation). */
  prefetch?(state: Readonly<DiscoveryState>): readonly (string | URL)[];
}

/** What `discover()` returns. Every URL is a string so the result serialises and caches as is. */
export interface DiscoveryResult {
  readonly resource: string;
  readonly authorizationServer: AuthorizationServerFound;
  readonly resourceMetadata: ResourceMetadataFound | null;
  readonly challenge: ResourceChallenge | null;
  /** Every candidate that was known, in order (the accepted one is `authorizationServer.issuer`). */
  readonly issuers: readonly IssuerCandidate[];
  /**
   * Scopes to request, chosen per MCP 2025-11-25: the challenge's `scope`, else the PRM's
   * `scopes_supported`, else the hints' `defaultScopes`; `undefined` means omit the `scope` parameter.
   */
  readonly scopes: readonly string[] | undefined;
  readonly hints: ProviderHints;
  /** True when the endpoints are the MCP 2025-03-26 defaults, not published metadata. */
  readonly guessed: boolean;
  /** PKCE per MCP 2025-11-25: S256 advertised in `code_challenge_methods_supported`, or known supported by a hint. */
  readonly pkce: { readonly s256Advertised: boolean; readonly s256Usable: boolean };
  readonly trace: DiscoveryTrace;
  /** True when this result came from the cache (its trace is the one of the original discovery). */
  readonly fromCache: boolean;
}

/** Options of one `discover()` call. */
export interface DiscoverOptions {
  /**
   * The `WWW-Authenticate` header value of a 401/403 the caller already received from the resource
   * (`undefined` allowed, so `response.headers.get('www-authenticate') ?? undefined` passes as is).
   */
  readonly challenge?: string | undefined;
  /** HTTP status of that response (401 or 403). */
  readonly challengeStatus?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Bypass the cache for this call (the fresh result is still stored). */
  readonly noCache?: boolean | undefined;
}

/**
 * Anything that discovers: a pipeline from `createPipeline()` (or the recommended one), or a wrapper
 * with the same `discover`. Accept this where a caller may bring their own pipeline (shared cache,
 * single flight).
 */
export interface Discoverer {
  discover(resource: string | URL, options?: DiscoverOptions): Promise<DiscoveryResult>;
}

export type { DiscoveryError };
