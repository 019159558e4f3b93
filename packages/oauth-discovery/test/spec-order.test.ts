import { type DiscoveryResult, isDiscoveryError } from '@oauth-discovery/core';
import {
  atlassianAuthV2World,
  atlassianV1World,
  entraWorld,
  githubWorld,
  noMetadataWorld,
  oidcOnlyWorld,
  pathIssuerAppendOnlyWorld,
  pathIssuerInsertionWorld,
  prmPathAwareWorld,
  prmRootWorld,
  resourceMetadataHeaderWorld,
  scopeChallengeWorld,
  testScope,
  type World,
  type WorldShape,
} from '@oauth-discovery/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { discover } from '../src/index.js';

const scope = testScope();
afterEach(() => scope.close());

const everyShape: Array<[string, () => WorldShape]> = [
  ['prm-root', () => prmRootWorld()],
  ['prm-path-aware', () => prmPathAwareWorld()],
  ['resource-metadata-header', () => resourceMetadataHeaderWorld()],
  ['scope-challenge', () => scopeChallengeWorld()],
  ['path-issuer-insertion', () => pathIssuerInsertionWorld()],
  ['path-issuer-append-only', () => pathIssuerAppendOnlyWorld()],
  ['oidc-only', () => oidcOnlyWorld()],
  ['no-metadata', () => noMetadataWorld()],
  ['atlassian-v1', () => atlassianV1World()],
  ['atlassian-authv2', () => atlassianAuthV2World()],
  ['github', () => githubWorld()],
  ['entra', () => entraWorld()],
];

/** What must not depend on the mode: the answer, or the failure's code. */
async function answer(resource: string, speculate: boolean): Promise<unknown> {
  try {
    const result: DiscoveryResult = await discover(resource, { speculate, presets: false });
    return {
      authorizationServer: result.authorizationServer,
      resourceMetadata: result.resourceMetadata,
      scopes: result.scopes,
      guessed: result.guessed,
      pkce: result.pkce,
    };
  } catch (error) {
    if (!isDiscoveryError(error)) throw error;
    return { error: error.code };
  }
}

/** The requests a world saw, as `METHOD origin path`, in arrival order. */
function seen(world: World): string[] {
  return world.requests.map((r) => `${r.method} ${r.origin} ${r.path}`);
}

describe('spec order by default, speculation on request', () => {
  it.each(everyShape)('%s: both modes give the same answer', async (_name, make) => {
    const shape = make();
    const world = await scope.world(shape);
    const resource = shape.expect.resource(world);
    const sequential = await answer(resource, false);
    const speculative = await answer(resource, true);
    expect(speculative).toEqual(sequential);
  });

  it('default mode makes exactly the requests of a sequential spec-following client (PRM path-aware)', async () => {
    const world = await scope.world(prmPathAwareWorld());
    const result = await discover(world.url('mcp', '/v1/mcp'));
    expect(seen(world)).toEqual([
      'POST mcp /v1/mcp',
      'GET mcp /.well-known/oauth-protected-resource/v1/mcp',
      'GET as /.well-known/oauth-authorization-server',
    ]);
    // The conformance scenario auth/metadata-default fails a client that asks for the root PRM here.
    expect(seen(world)).not.toContain('GET mcp /.well-known/oauth-protected-resource');
    expect(result.trace.requestCount).toBe(3);
    expect(result.trace.unusedSpeculation).toEqual([]);
    expect(result.trace.steps.flatMap((s) => s.attempts).some((a) => a.speculative === true)).toBe(false);
  });

  it('default mode follows resource_metadata from the challenge and nothing else', async () => {
    const world = await scope.world(resourceMetadataHeaderWorld());
    await discover(world.url('mcp', '/mcp'));
    expect(seen(world)).toEqual([
      'POST mcp /mcp',
      'GET prm /metadata/mcp-resource.json',
      'GET as /.well-known/oauth-authorization-server',
    ]);
  });

  it('speculative mode asks for more, and the trace marks those requests speculative', async () => {
    const world = await scope.world(prmPathAwareWorld({ latencyMs: 20 }));
    const result = await discover(world.url('mcp', '/v1/mcp'), { speculate: true });
    expect(seen(world)).toContain('GET mcp /.well-known/oauth-protected-resource');
    const speculative = [
      ...result.trace.steps.flatMap((s) => s.attempts),
      ...result.trace.unusedSpeculation,
    ].filter((a) => a.speculative === true);
    expect(speculative.length).toBeGreaterThan(0);
    expect(result.trace.unusedSpeculation.length).toBeGreaterThan(0);
  });
});
