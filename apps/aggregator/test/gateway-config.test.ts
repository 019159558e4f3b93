import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { parseConfig, startAggregator, validateConfig } from '../src/index.js';
import type { LogEvent } from '../src/log.js';
import { configError, tempDir } from './helpers.js';

const upstream = { name: 'a', url: 'https://mcp.example.com/mcp' };

async function rejection(work: () => Promise<unknown>): Promise<DiscoveryError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof DiscoveryError) return error;
    throw error;
  }
  throw new Error('expected a DiscoveryError, nothing was thrown');
}

describe('gateway configuration (auth, store)', () => {
  it('auth.type oauth without an issuer is INVALID_CONFIG naming auth.issuer', () => {
    const error = configError(() =>
      parseConfig(
        'auth:\n  type: oauth\nupstreams:\n  - name: a\n    url: https://a.example/mcp\n',
        'g.yaml',
      ),
    );
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error.message).toBe('g.yaml:2:3: auth.issuer: is required');
  });

  it('an http issuer on a public host is INVALID_CONFIG', () => {
    const error = configError(() =>
      validateConfig(
        { auth: { type: 'oauth', issuer: 'http://idp.example' }, upstreams: [upstream] },
        'g.yaml',
      ),
    );
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error.message).toContain('auth.issuer: must be an https URL');
  });

  it('introspection needs clientId and clientSecretEnv', () => {
    const error = configError(() =>
      validateConfig(
        { auth: { type: 'oauth', issuer: 'https://idp.example', introspection: {} }, upstreams: [upstream] },
        'g.yaml',
      ),
    );
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error.message).toBe(
      'g.yaml: auth.introspection.clientId: is required; auth.introspection.clientSecretEnv: is required',
    );
  });

  it('auth.browser needs a clientId', () => {
    const error = configError(() =>
      validateConfig(
        { auth: { type: 'oauth', issuer: 'https://idp.example', browser: {} }, upstreams: [upstream] },
        'g.yaml',
      ),
    );
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error.message).toBe('g.yaml: auth.browser.clientId: is required');
  });

  it('auth.adminGroup needs a value', () => {
    const error = configError(() =>
      validateConfig(
        {
          auth: { type: 'oauth', issuer: 'https://idp.example', adminGroup: { claim: 'groups' } },
          upstreams: [upstream],
        },
        'g.yaml',
      ),
    );
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error.message).toBe('g.yaml: auth.adminGroup.value: is required');
  });

  it('sessions.maxPerUser must be a positive integer', () => {
    const error = configError(() =>
      validateConfig({ sessions: { maxPerUser: 0 }, upstreams: [upstream] }, 'g.yaml'),
    );
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error.message).toMatch(/^g\.yaml: sessions\.maxPerUser: /);
  });

  it('store.type redis needs a redis:// URL', () => {
    const error = configError(() =>
      validateConfig(
        { store: { type: 'redis', url: 'http://127.0.0.1:6379' }, upstreams: [upstream] },
        'g.yaml',
      ),
    );
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error.message).toBe('g.yaml: store.url: must be a redis:// or rediss:// URL');
  });

  it('a non-loopback listen with auth.type oauth needs no relaxation', () => {
    const config = validateConfig({
      listen: { host: '0.0.0.0', port: 0 },
      publicUrl: 'https://gateway.example',
      auth: { type: 'oauth', issuer: 'https://idp.example' },
      upstreams: [upstream],
    });
    expect(config.auth).toMatchObject({
      type: 'oauth',
      issuer: 'https://idp.example',
      allowUntypedJwt: false,
    });
    expect(config.store).toEqual({ type: 'file' });
  });

  it('refuses to start auth.type oauth without a store key (INVALID_CONFIG naming the variables)', async () => {
    const storage = await tempDir();
    try {
      const error = await rejection(() =>
        startAggregator(
          validateConfig({
            listen: { host: '127.0.0.1', port: 0 },
            auth: { type: 'oauth', issuer: 'https://idp.example' },
            storageDir: storage.dir,
            upstreams: [upstream],
          }),
          { env: {} },
        ),
      );
      expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
      expect(error.message).toMatch(
        /^store: no encryption key: set OAUTH_DISCOVERY_STORE_KEYS or OAUTH_DISCOVERY_STORE_KEY_FILE/,
      );
    } finally {
      await storage.remove();
    }
  });

  it('a Redis that does not answer is STORE_UNAVAILABLE at start', async () => {
    const error = await rejection(() =>
      startAggregator(
        validateConfig({
          listen: { host: '127.0.0.1', port: 0 },
          auth: { type: 'oauth', issuer: 'https://idp.example' },
          store: { type: 'redis', url: 'redis://127.0.0.1:1' },
          upstreams: [upstream],
        }),
        { env: { OAUTH_DISCOVERY_STORE_KEYS: `k:${Buffer.alloc(32, 7).toString('base64')}` } },
      ),
    );
    expect(error.code).toBe(ErrorCodes.STORE_UNAVAILABLE);
  });

  it('single-user loopback without a key starts, storing in the clear, and says so in the log', async () => {
    const storage = await tempDir();
    const events: LogEvent[] = [];
    const aggregator = await startAggregator(
      validateConfig({
        listen: { host: '127.0.0.1', port: 0 },
        storageDir: storage.dir,
        upstreams: [{ name: 'a', url: 'http://127.0.0.1:1/mcp', auth: { type: 'none' } }],
        reconnect: { initialDelayMs: 600_000, maxDelayMs: 600_000 },
      }),
      { env: {}, log: (event) => events.push(event) },
    );
    try {
      expect(events.find((event) => event.relaxation === 'store.unencrypted')).toMatchObject({
        level: 'warn',
        event: 'relaxation',
      });
    } finally {
      await aggregator.close();
      await storage.remove();
    }
  });
});
