import { type DiscoveryStrategy, ErrorCodes } from '@oauth-discovery/core';
import {
  givenCandidates,
  noMetadataWorld,
  rejection,
  stepOf,
  testScope,
  type World,
} from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { legacyDefaultMetadata, legacyDefaults } from '../src/index.js';

const scope = testScope();
afterEach(() => scope.close());
const pipeline = scope.pipeline;

function noMetadata(): Promise<World> {
  return scope.world(noMetadataWorld());
}

/** Asks the resource's origin for its root PRM and reports the answer as a miss (as rfc9728 would). */
const askOrigin: DiscoveryStrategy = {
  name: 'ask-origin',
  async run(ctx) {
    const url = new URL('/.well-known/oauth-protected-resource', ctx.state.resource).href;
    const response = await ctx.http.request(url);
    return {
      status: 'not-found',
      reason: `GET ${url} → ${response.status}`,
      misses: [
        {
          url,
          label: 'root',
          code: ErrorCodes.RESOURCE_METADATA_NOT_FOUND,
          status: response.status,
          message: `HTTP ${response.status}`,
        },
      ],
    };
  },
};

describe('legacy-defaults', () => {
  it('guesses the MCP 2025-03-26 default endpoints at the resource origin after a 404, without a request of its own', async () => {
    const w = await noMetadata();
    const origin = w.origin('mcp');
    const result = await pipeline([askOrigin, legacyDefaults()]).discover(w.url('mcp', '/v1/mcp'));

    expect(result.guessed).toBe(true);
    expect(result.authorizationServer).toEqual({
      issuer: origin,
      metadataUrl: null,
      metadata: {
        issuer: origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        registration_endpoint: `${origin}/register`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
      },
      issuerCheck: 'guessed',
      source: 'legacy-defaults',
    });
    // Never claims what the server did not say; PKCE is usable because MCP 2025-03-26 mandates it.
    expect(result.pkce).toEqual({ s256Advertised: false, s256Usable: true });
    expect(result.hints.notes?.join('\n')).toMatch(/PKCE S256 assumed, not advertised/);
    const step = stepOf(result.trace, 'legacy-defaults');
    expect(step.outcome).toBe('found');
    expect(step.attempts).toEqual([]);
    expect(step.notes).toEqual([
      `guessed: no metadata anywhere, using the MCP 2025-03-26 default endpoints ${origin}/authorize, ${origin}/token, ${origin}/register`,
    ]);
    expect(w.requests.map((r) => r.path)).toEqual(['/.well-known/oauth-protected-resource']);
  });

  it('refuses to guess when nothing asked the resource origin (DISCOVERY_FAILED)', async () => {
    const w = await noMetadata();
    const error = await rejection(pipeline([legacyDefaults()]).discover(w.url('mcp', '/v1/mcp')));
    expect(error.code).toBe(ErrorCodes.DISCOVERY_FAILED);
    expect(error.message).toContain('nothing in this discovery got an HTTP answer from');
    expect(stepOf(error.trace, 'legacy-defaults')).toMatchObject({ outcome: 'failed' });
  });

  it('refuses to guess after a 500 from the origin (HTTP_ERROR)', async () => {
    const w = await scope.world({
      origins: { mcp: { routes: { '/.well-known/oauth-protected-resource': { status: 500 } } } },
    });
    const error = await rejection(pipeline([askOrigin, legacyDefaults()]).discover(w.url('mcp', '/mcp')));
    expect(error.code).toBe(ErrorCodes.HTTP_ERROR);
    expect(error.message).toMatch(/^GET .* answered HTTP 500/);
  });

  it('is skipped when issuer candidates are known, so discovery fails instead of guessing', async () => {
    const w = await noMetadata();
    const resource = w.url('mcp', '/mcp');
    const error = await rejection(
      pipeline([givenCandidates(resource, ['https://as.example']), legacyDefaults()]).discover(resource),
    );

    expect(error.code).toBe(ErrorCodes.DISCOVERY_FAILED);
    const step = stepOf(error.trace, 'legacy-defaults');
    expect(step.outcome).toBe('skipped');
    expect(step.reason).toBe(
      'issuer candidates are known: https://as.example (from rfc9728); defaults are only for servers without metadata',
    );
  });

  it('is skipped when protected resource metadata is known, even without authorization servers', async () => {
    const w = await noMetadata();
    const resource = w.url('mcp', '/mcp');
    const prmUrl = w.url('mcp', '/.well-known/oauth-protected-resource/mcp');
    const error = await rejection(
      pipeline([givenCandidates(resource, [], { prmUrl }), legacyDefaults()]).discover(resource),
    );

    expect(error.code).toBe(ErrorCodes.DISCOVERY_FAILED);
    const step = stepOf(error.trace, 'legacy-defaults');
    expect(step.outcome).toBe('skipped');
    expect(step.reason).toContain(`protected resource metadata is known (${prmUrl})`);
  });

  it('refuses to guess plain-http endpoints for a host that is not loopback (INSECURE_URL)', async () => {
    const error = await rejection(pipeline([legacyDefaults()]).discover('http://mcp.example.com/mcp'));
    expect(error.code).toBe(ErrorCodes.INSECURE_URL);
    expect(stepOf(error.trace, 'legacy-defaults')).toMatchObject({
      outcome: 'failed',
      errorCode: ErrorCodes.INSECURE_URL,
    });
  });

  it('has no prefetch and declares what it contributes', () => {
    const strategy = legacyDefaults();
    expect(strategy).toMatchObject({
      name: 'legacy-defaults',
      contributes: ['authorizationServer', 'hints'],
    });
    expect(strategy.prefetch).toBeUndefined();
  });

  it('builds the default metadata from an origin', () => {
    expect(legacyDefaultMetadata('https://mcp.example.com')).toMatchObject({
      issuer: 'https://mcp.example.com',
      authorization_endpoint: 'https://mcp.example.com/authorize',
      token_endpoint: 'https://mcp.example.com/token',
      registration_endpoint: 'https://mcp.example.com/register',
    });
  });
});
