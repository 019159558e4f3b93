import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineOptionsFor } from './discovery-options.js';

const RESOURCE = 'https://mcp.example.test/mcp';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-options-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pipelineOptionsFor', () => {
  it('defaults: no static config, every preset, 30 s deadline capping the request timeouts', async () => {
    const options = await pipelineOptionsFor(RESOURCE, {});
    expect(options.first).toEqual([]);
    expect(options.presets).toBeUndefined();
    expect(options.deadlineMs).toBe(30_000);
    expect(options.httpOptions).toEqual({
      requestTimeoutMs: 30_000,
      connectTimeoutMs: 5_000,
      headersTimeoutMs: 10_000,
      bodyTimeoutMs: 10_000,
    });
    expect(options.cache).toBeUndefined();
    expect(options.legacyDefaults).toBe(true);
    expect(options.allowPrivateNetwork).toBeUndefined();
  });

  it('maps --timeout, --no-cache, --no-legacy-defaults, --allow-private-network and --preset', async () => {
    const options = await pipelineOptionsFor(RESOURCE, {
      timeout: 1_500,
      cache: false,
      legacyDefaults: false,
      allowPrivateNetwork: true,
      preset: 'github',
    });
    expect(options.deadlineMs).toBe(1_500);
    expect(options.httpOptions).toMatchObject({ requestTimeoutMs: 1_500, connectTimeoutMs: 1_500 });
    expect(options.cache).toBe(false);
    expect(options.legacyDefaults).toBe(false);
    expect(options.allowPrivateNetwork).toBe(true);
    expect(options.presets).toEqual(['github']);
  });

  it('still reads --no-guess, the deprecated spelling of --no-legacy-defaults', async () => {
    expect((await pipelineOptionsFor(RESOURCE, { guess: false })).legacyDefaults).toBe(false);
  });

  it('--preset-hosts: <preset>= moves every host of the preset and runs it; <origin>= moves one host', async () => {
    const options = await pipelineOptionsFor(RESOURCE, {
      presetHosts: [
        'keycloak=http://127.0.0.2:4000',
        'https://slack.com=http://127.0.0.3:4001,https://mcp.slack.com=http://127.0.0.3:4002',
      ],
    });
    expect(options.presetHosts).toEqual({
      'https://keycloak.invalid': 'http://127.0.0.2:4000',
      'https://slack.com': 'http://127.0.0.3:4001',
      'https://mcp.slack.com': 'http://127.0.0.3:4002',
    });
    // keycloak is not run by default: naming it runs it, next to the default presets.
    expect(options.presets).toEqual(expect.arrayContaining(['keycloak', 'slack', 'atlassian']));
    const only = await pipelineOptionsFor(RESOURCE, {
      preset: 'github',
      presetHosts: ['hubspot=http://127.0.0.2:1'],
    });
    expect(only.presets).toEqual(['github', 'hubspot']);
  });

  it.each([
    ['hubspot', /expected <preset>=<origin>/],
    ['hubspot=ftp://x', /is not an origin/],
    ['https://x.example/path=http://127.0.0.2:1', /is not an origin/],
    ['acme=http://127.0.0.2:1', /Unknown preset "acme"/],
  ])('--preset-hosts %s is INVALID_CONFIG', async (value, message) => {
    const error = await pipelineOptionsFor(RESOURCE, { presetHosts: [value] }).catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.INVALID_CONFIG)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('--issuer becomes the first static-config entry, ahead of the file', async () => {
    const file = join(dir, 'pins.json');
    await writeFile(
      file,
      JSON.stringify({
        resources: [{ resource: RESOURCE, issuer: 'https://other.example.test', preset: 'atlassian' }],
      }),
    );
    const options = await pipelineOptionsFor(RESOURCE, { issuer: 'https://as.example.test', config: file });
    const strategy = options.first?.[0] as unknown as {
      name: string;
      config: { resources: { issuer?: string }[] };
    };
    expect(strategy.name).toBe('static-config');
    expect(strategy.config.resources.map((entry) => entry.issuer)).toEqual([
      'https://as.example.test',
      'https://other.example.test',
    ]);
    // The matching entry names a preset: only that one runs.
    expect(options.presets).toEqual(['atlassian']);
  });

  it('--preset wins over the config entry preset', async () => {
    const file = join(dir, 'preset.json');
    await writeFile(
      file,
      JSON.stringify({
        resources: [{ resource: RESOURCE, issuer: 'https://a.example.test', preset: 'atlassian' }],
      }),
    );
    const options = await pipelineOptionsFor(RESOURCE, { config: file, preset: 'github' });
    expect(options.presets).toEqual(['github']);
  });

  it.each([
    ['an unknown preset', { preset: 'nope' }, 'Unknown preset "nope"'],
    ['an --issuer that is not https', { issuer: 'http://as.example.test' }, 'resources[0].issuer'],
    ['a config file with an unknown extension', { config: 'pins.toml' }, 'unknown extension'],
  ])('%s is INVALID_CONFIG naming it', async (_name, cli, message) => {
    const error = await pipelineOptionsFor(RESOURCE, cli).catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.INVALID_CONFIG)).toBe(true);
    expect((error as Error).message).toContain(message);
  });
});
