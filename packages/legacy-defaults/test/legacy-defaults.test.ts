import { ErrorCodes } from '@oauth-discovery/core';
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

describe('legacy-defaults', () => {
  it('guesses the MCP 2025-03-26 default endpoints at the resource origin, without a request', async () => {
    const w = await noMetadata();
    const origin = w.origin('mcp');
    const result = await pipeline([legacyDefaults()]).discover(w.url('mcp', '/v1/mcp'));

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
        code_challenge_methods_supported: ['S256'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
      },
      issuerCheck: 'guessed',
      source: 'legacy-defaults',
    });
    expect(result.pkce.s256Advertised).toBe(true);
    const step = stepOf(result.trace, 'legacy-defaults');
    expect(step.outcome).toBe('found');
    expect(step.attempts).toEqual([]);
    expect(step.notes).toEqual([
      `guessed: no metadata anywhere, using the MCP 2025-03-26 default endpoints ${origin}/authorize, ${origin}/token, ${origin}/register`,
    ]);
    expect(w.requests).toEqual([]);
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
    expect(strategy).toMatchObject({ name: 'legacy-defaults', contributes: ['authorizationServer'] });
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
