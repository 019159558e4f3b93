import {
  type AuthorizationServerMetadata,
  type DiscoveryResult,
  isDiscoveryError,
  type ProviderHints,
} from '@oauth-discovery/core';

/** A hand-built discovery result for unit tests of the flow pieces (integration tests use the real pipeline). */
export function fakeResult(options: {
  resource: string;
  issuer: string;
  metadata?: Partial<AuthorizationServerMetadata>;
  hints?: ProviderHints;
  scopes?: readonly string[];
  prm?: { url: string; resource: string; scopes_supported?: string[] };
}): DiscoveryResult {
  const metadata: AuthorizationServerMetadata = {
    issuer: options.issuer,
    authorization_endpoint: `${options.issuer}/authorize`,
    token_endpoint: `${options.issuer}/token`,
    registration_endpoint: `${options.issuer}/register`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    ...options.metadata,
  };
  const s256Advertised = metadata.code_challenge_methods_supported?.includes('S256') ?? false;
  return {
    resource: options.resource,
    authorizationServer: {
      issuer: options.issuer,
      metadataUrl: `${options.issuer}/.well-known/oauth-authorization-server`,
      metadata,
      issuerCheck: 'exact',
      source: 'test',
    },
    resourceMetadata:
      options.prm === undefined
        ? null
        : {
            url: options.prm.url,
            document: {
              resource: options.prm.resource,
              authorization_servers: [options.issuer],
              scopes_supported: options.prm.scopes_supported,
            },
          },
    challenge: null,
    issuers: [{ issuer: options.issuer, source: 'test' }],
    scopes: options.scopes,
    hints: options.hints ?? {},
    guessed: false,
    pkce: { s256Advertised, s256Usable: s256Advertised || options.hints?.pkceS256KnownSupported === true },
    trace: {
      resource: options.resource,
      steps: [],
      unusedSpeculation: [],
      requestCount: 0,
      durationMs: 0,
      startedAt: new Date(0).toISOString(),
      relaxations: [],
    },
    fromCache: false,
  };
}

/** The `DiscoveryError` code `fn` throws, a note when it throws something else, `undefined` when it does not throw. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isDiscoveryError(error) ? error.code : `not a DiscoveryError: ${String(error)}`;
  }
  return undefined;
}
