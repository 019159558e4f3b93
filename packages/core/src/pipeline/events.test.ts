import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from './create-pipeline.js';
import type { DiscoveryEvent } from './events.js';
import { fetchStrategy, startServer, type TestServer } from './loopback-server.test-helper.js';

let resourceServer: TestServer;
let authServer: TestServer;

beforeAll(async () => {
  resourceServer = await startServer('127.0.0.1', {
    '/.well-known/oauth-protected-resource/mcp': { status: 404 },
  });
  authServer = await startServer('127.0.0.2', {
    '/.well-known/oauth-authorization-server': (request) => ({
      body: { issuer: `http://${request.headers.host}` },
    }),
  });
});

afterAll(async () => {
  await Promise.all([resourceServer.close(), authServer.close()]);
});

const resource = (): string => resourceServer.url('/mcp');

describe('events', () => {
  it('emits events in order, and a throwing listener does not break discovery', async () => {
    const events: DiscoveryEvent[] = [];
    const p = createPipeline(
      [
        fetchStrategy('prm', resourceServer.url('/.well-known/oauth-protected-resource/mcp')),
        fetchStrategy('as', authServer.url('/.well-known/oauth-authorization-server')),
        fetchStrategy('late', authServer.url('/late')),
      ],
      {
        speculate: false,
        cache: false,
        onEvent: (event) => {
          events.push(event);
          throw new Error('listener bug');
        },
      },
    );
    await p.discover(resource()).finally(() => p.close());
    expect(
      events.map((e) =>
        e.type === 'step-started'
          ? `${e.type} ${e.strategy}`
          : e.type === 'step-finished'
            ? `${e.type} ${e.step.strategy} ${e.step.outcome}`
            : e.type === 'request-started'
              ? `${e.type} ${e.strategy} ${e.speculative}`
              : e.type === 'request-finished'
                ? `${e.type} ${e.attempt.status}`
                : e.type === 'discovery-finished'
                  ? `${e.type} ${e.ok} ${e.fromCache}`
                  : e.type,
      ),
    ).toEqual([
      'discovery-started',
      'step-started prm',
      'request-started prm false',
      'request-finished 404',
      'step-finished prm not-found',
      'step-started as',
      'request-started as false',
      'request-finished 200',
      'step-finished as found',
      'step-finished late skipped',
      'discovery-finished true false',
    ]);
    expect(events.every((e) => e.resource === resource())).toBe(true);
  });

  it('marks speculative requests (no strategy) and reports failures', async () => {
    const events: DiscoveryEvent[] = [];
    const p = createPipeline(
      [
        fetchStrategy('prm', resourceServer.url('/.well-known/oauth-protected-resource/mcp')),
        fetchStrategy('root', resourceServer.url('/.well-known/oauth-protected-resource')),
      ],
      {
        cache: false,
        speculate: true,
        onEvent: (event) => events.push(event),
      },
    );
    await expect(p.discover(resource()).finally(() => p.close())).rejects.toMatchObject({
      code: 'DISCOVERY_FAILED',
    });
    const started = events.filter((e) => e.type === 'request-started');
    // The running strategy's own request goes out first; the later strategy's URL is speculated after it.
    expect(started).toEqual([
      {
        type: 'request-started',
        resource: resource(),
        method: 'GET',
        url: resourceServer.url('/.well-known/oauth-protected-resource/mcp'),
        speculative: false,
        strategy: 'prm',
      },
      {
        type: 'request-started',
        resource: resource(),
        method: 'GET',
        url: resourceServer.url('/.well-known/oauth-protected-resource'),
        speculative: true,
      },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'discovery-finished', ok: false, fromCache: false });
  });
});
