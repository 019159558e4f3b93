import { DiscoveryError, ErrorCodes, type HttpClient, type StrategyOutcome } from '@oauth-discovery/core';
import { createHttpClient } from '@oauth-discovery/core/http';
import {
  authorizationServerMetadata,
  startWorld,
  stateWith,
  strategyContext,
  type World,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticConfigEntry, staticConfig } from '../src/index.js';

const AS_PATH = '/.well-known/oauth-authorization-server';
const http = createHttpClient({ allowPrivateNetwork: true });

/** An HTTP client that records and refuses every call, for the cases that must make none. */
function refusingHttp(): HttpClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async request(url) {
      calls.push(String(url));
      throw new DiscoveryError(ErrorCodes.NETWORK_ERROR, `test: unexpected request to ${String(url)}`);
    },
  };
}

function contextFor(resource: string, client: HttpClient = http, signal = new AbortController().signal) {
  return strategyContext(stateWith(resource), client, signal);
}

function found(outcome: StrategyOutcome) {
  if (outcome.status !== 'found') throw new Error(`expected found, got ${outcome.status}: ${outcome.reason}`);
  return outcome;
}

let world: World;
beforeAll(async () => {
  world = await startWorld({
    origins: {
      as: {
        routes: {
          [AS_PATH]: { json: (w) => authorizationServerMetadata({ issuer: w.origin('as') }) },
          '/foreign': { json: (w) => authorizationServerMetadata({ issuer: w.origin('other') }) },
          '/invalid': { json: { issuer: 'not a url' } },
        },
      },
      other: { routes: {} },
    },
  });
});
afterAll(async () => {
  await world.close();
  await http.close();
});

const RESOURCE = 'https://mcp.example.com/mcp';

function strategyWith(pin: Omit<StaticConfigEntry, 'resource'>) {
  return staticConfig([{ resource: RESOURCE, ...pin }]);
}

describe('static-config strategy', () => {
  it('skips a resource no entry matches', async () => {
    const outcome = await strategyWith({ issuer: 'https://auth.example.com' }).run(
      contextFor('https://other.example.com/'),
    );
    expect(outcome).toEqual({
      status: 'skipped',
      reason: 'no static configuration entry matches resource https://other.example.com/ (1 entries)',
    });
  });

  it('issuer: contributes the pinned candidate and hints, with no request', async () => {
    const client = refusingHttp();
    const strategy = strategyWith({
      issuer: 'https://auth.example.com/tenant',
      acceptedIssuers: ['https://auth.example.com'],
      scopes: ['read'],
      hints: { requiresPreregisteredClient: true, clientId: 'my-app' },
    });
    const outcome = found(await strategy.run(contextFor(RESOURCE, client)));
    expect(client.calls).toEqual([]);
    expect(outcome.contribution.issuers).toEqual([
      {
        issuer: 'https://auth.example.com/tenant',
        source: 'static-config',
        acceptedIssuers: ['https://auth.example.com'],
      },
    ]);
    expect(outcome.contribution.authorizationServer).toBeUndefined();
    expect(outcome.contribution.hints).toMatchObject({
      requiresPreregisteredClient: true,
      clientId: 'my-app',
      defaultScopes: ['read'],
    });
    expect(outcome.notes).toContain(
      'issuer https://auth.example.com/tenant pinned; its metadata may name only https://auth.example.com/tenant or https://auth.example.com',
    );
  });

  it('metadata: the configured authorization server, no request', async () => {
    const client = refusingHttp();
    const metadata = { issuer: 'https://auth.example.com', token_endpoint: 'https://auth.example.com/token' };
    const outcome = found(
      await strategyWith({ metadata, preset: 'github' }).run(contextFor(RESOURCE, client)),
    );
    expect(client.calls).toEqual([]);
    expect(outcome.contribution.authorizationServer).toEqual({
      issuer: 'https://auth.example.com',
      metadataUrl: null,
      metadata,
      issuerCheck: 'configured',
      source: 'static-config',
    });
    expect(outcome.notes).toContain('entry names preset github (applied by the composing pipeline)');
  });

  it('metadataUrl without issuer: fetched over loopback, its issuer adopted and traced', async () => {
    const url = world.url('as', AS_PATH);
    const before = world.requests.length;
    const outcome = found(await strategyWith({ metadataUrl: url }).run(contextFor(RESOURCE)));
    expect(world.requests.slice(before).map((r) => r.url)).toEqual([url]);
    expect(outcome.contribution.authorizationServer).toMatchObject({
      issuer: world.origin('as'),
      metadataUrl: url,
      issuerCheck: 'adopted',
      source: 'static-config',
    });
    expect(outcome.contribution.issuers).toEqual([{ issuer: world.origin('as'), source: 'static-config' }]);
    expect(outcome.notes).toContain(
      `issuer ${world.origin('as')} adopted from the operator-pinned metadata URL ${url} (no issuer was pinned)`,
    );
  });

  it('metadataUrl with the matching issuer: exact', async () => {
    const strategy = strategyWith({ metadataUrl: world.url('as', AS_PATH), issuer: world.origin('as') });
    const outcome = found(await strategy.run(contextFor(RESOURCE)));
    expect(outcome.contribution.authorizationServer?.issuerCheck).toBe('exact');
  });

  it('metadataUrl with another issuer: ISSUER_MISMATCH is thrown, never swallowed', async () => {
    const strategy = strategyWith({ metadataUrl: world.url('as', '/foreign'), issuer: world.origin('as') });
    const error = await strategy.run(contextFor(RESOURCE)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as DiscoveryError).code).toBe(ErrorCodes.ISSUER_MISMATCH);
    expect((error as DiscoveryError).actual).toBe(world.origin('other'));
  });

  it('metadataUrl with an accepted alias: alias', async () => {
    const strategy = strategyWith({
      metadataUrl: world.url('as', '/foreign'),
      issuer: world.origin('as'),
      acceptedIssuers: [world.origin('other')],
    });
    const outcome = found(await strategy.run(contextFor(RESOURCE)));
    expect(outcome.contribution.authorizationServer?.issuerCheck).toBe('alias');
    expect(outcome.contribution.authorizationServer?.issuer).toBe(world.origin('other'));
  });

  it('metadataUrl that misses: not-found without issuer, the pinned candidate with one', async () => {
    const missing = world.url('as', '/missing');
    const withoutIssuer = await strategyWith({ metadataUrl: missing }).run(contextFor(RESOURCE));
    expect(withoutIssuer.status).toBe('not-found');
    expect(withoutIssuer.status === 'not-found' && withoutIssuer.reason).toContain(`GET ${missing} → 404`);

    const withIssuer = found(
      await strategyWith({ metadataUrl: missing, issuer: world.origin('as') }).run(contextFor(RESOURCE)),
    );
    expect(withIssuer.contribution.authorizationServer).toBeUndefined();
    expect(withIssuer.contribution.issuers).toEqual([
      { issuer: world.origin('as'), source: 'static-config' },
    ]);
  });

  it('metadataUrl serving schema-invalid metadata is a miss, noted', async () => {
    const ctx = contextFor(RESOURCE);
    const outcome = await strategyWith({ metadataUrl: world.url('as', '/invalid') }).run(ctx);
    expect(outcome.status).toBe('not-found');
    expect(ctx.notes.some((n) => n.includes('INVALID_METADATA'))).toBe(true);
  });

  it('a metadataUrl on a private address is refused by the default HTTP client (BLOCKED_ADDRESS)', async () => {
    const strict = createHttpClient();
    try {
      const error = await strategyWith({ metadataUrl: world.url('as', AS_PATH) })
        .run(contextFor(RESOURCE, strict))
        .catch((caught: unknown) => caught);
      expect((error as DiscoveryError).code).toBe(ErrorCodes.BLOCKED_ADDRESS);
    } finally {
      await strict.close();
    }
  });

  it('throws ABORTED when the signal has fired', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      strategyWith({ issuer: 'https://auth.example.com' }).run(contextFor(RESOURCE, http, controller.signal)),
    ).rejects.toMatchObject({ code: ErrorCodes.ABORTED });
  });
});
