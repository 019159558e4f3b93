import { createPipeline, type DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { createHttpClient } from '@oauth-discovery/core/http';
import { startWorld, unauthorized, type World } from '@oauth-discovery/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { wwwAuthenticate } from '../src/index.js';

const http = createHttpClient({ allowPrivateNetwork: true });
const pipeline = createPipeline([wwwAuthenticate()], { http, cache: false, speculate: false });
afterAll(() => http.close());

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Discovery with this strategy alone cannot find an authorization server: the trace shows what it did. */
async function failedDiscovery(...args: Parameters<typeof pipeline.discover>): Promise<DiscoveryError> {
  const error: unknown = await pipeline.discover(...args).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: ErrorCodes.DISCOVERY_FAILED });
  return error as DiscoveryError;
}

describe('wwwAuthenticate in a pipeline', () => {
  it('records the probe and the note in the trace', async () => {
    world = await startWorld({
      origins: {
        mcp: {
          routes: {
            '/mcp': unauthorized(
              'Bearer realm="OAuth", error="invalid_token", error_description="Missing or invalid access token"',
            ),
          },
        },
      },
    });
    const resource = world.url('mcp', '/mcp');
    const error = await failedDiscovery(resource);
    const [step] = error.trace?.steps ?? [];
    expect(step).toMatchObject({ strategy: 'www-authenticate', outcome: 'found' });
    expect(step?.notes).toContainEqual(expect.stringContaining('no resource_metadata'));
    expect(step?.attempts).toMatchObject([{ method: 'POST', url: resource, status: 401 }]);
    expect(world.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /mcp']);
  });

  it('makes no request when the caller passes the challenge', async () => {
    world = await startWorld({ origins: { mcp: { routes: { '/mcp': unauthorized('Bearer realm="x"') } } } });
    const error = await failedDiscovery(world.url('mcp', '/mcp'), {
      challenge: 'Bearer error="insufficient_scope", scope="files:write"',
      challengeStatus: 403,
    });
    const [step] = error.trace?.steps ?? [];
    expect(step).toMatchObject({ strategy: 'www-authenticate', outcome: 'found', attempts: [] });
    expect(error.trace?.requestCount).toBe(0);
    expect(world.requests).toHaveLength(0);
  });

  it('records a 200 as not-found with the reason', async () => {
    world = await startWorld({
      origins: { mcp: { routes: { '/mcp': { json: { jsonrpc: '2.0', id: 0 } } } } },
    });
    const error = await failedDiscovery(world.url('mcp', '/mcp'));
    expect(error.trace?.steps[0]).toMatchObject({
      strategy: 'www-authenticate',
      outcome: 'not-found',
      reason: 'resource answered without authentication (200)',
    });
  });
});
