import type { AuthorizationServerMetadata, DiscoveryResult, ProviderHints } from '@oauth-discovery/core';
import {
  buildAuthorizationUrl,
  type Configuration,
  calculatePKCECodeChallenge,
  randomPKCECodeVerifier,
  randomState,
} from 'openid-client';
import { authorizationParameters } from '../src/index.js';

/** A discovery result built from data, for conversion tests that need no network. */
export function resultFor(
  metadata: AuthorizationServerMetadata,
  overrides: { hints?: ProviderHints; s256Usable?: boolean; resource?: string; prmResource?: string } = {},
): DiscoveryResult {
  const resource = overrides.resource ?? 'https://mcp.example.com/mcp';
  const advertised = metadata.code_challenge_methods_supported?.includes('S256') ?? false;
  return {
    resource,
    authorizationServer: {
      issuer: metadata.issuer,
      metadataUrl: `${metadata.issuer}/.well-known/oauth-authorization-server`,
      metadata,
      issuerCheck: 'exact',
      source: 'rfc8414',
    },
    resourceMetadata:
      overrides.prmResource === undefined
        ? null
        : {
            url: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
            document: { resource: overrides.prmResource, authorization_servers: [metadata.issuer] },
          },
    challenge: null,
    issuers: [{ issuer: metadata.issuer, source: 'rfc9728' }],
    scopes: ['mcp:tools'],
    hints: overrides.hints ?? {},
    guessed: false,
    pkce: { s256Advertised: advertised, s256Usable: overrides.s256Usable ?? advertised },
    trace: {
      resource,
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

/** Follows nothing: GETs `url` and returns the `Location` of the redirect it answers with. */
export async function redirectLocation(url: URL | string): Promise<URL> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  const location = response.headers.get('location');
  if (location === null) throw new TypeError(`no redirect from ${String(url)} (HTTP ${response.status})`);
  return new URL(location, url);
}

/**
 * The front channel of a code + PKCE flow, headless: builds the authorization URL with
 * `authorizationParameters` and follows it to the redirect the server answers with.
 */
export async function authorizeHeadless(
  configuration: Configuration,
  result: DiscoveryResult,
  redirectUri: string,
  state: string = randomState(),
): Promise<{ verifier: string; state: string; url: URL; callback: URL }> {
  const verifier = randomPKCECodeVerifier();
  const url = buildAuthorizationUrl(
    configuration,
    authorizationParameters(result, {
      redirectUri,
      codeChallenge: await calculatePKCECodeChallenge(verifier),
      state,
    }),
  );
  return { verifier, state, url, callback: await redirectLocation(url) };
}
