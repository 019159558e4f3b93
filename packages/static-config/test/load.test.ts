import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStaticConfig } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'static-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function loadError(path: string): Promise<DiscoveryError> {
  const error = await loadStaticConfig(path).then(
    () => undefined,
    (caught: unknown) => caught as DiscoveryError,
  );
  expect(error?.code).toBe(ErrorCodes.INVALID_CONFIG);
  return error as DiscoveryError;
}

const YAML = `# pinned upstreams
resources:
  - resource: https://mcp.example.com/mcp
    issuer: https://auth.example.com
    scopes: [read, write]
  - resource: { pattern: "https://*.example.com/**" }
    metadataUrl: https://auth.example.com/.well-known/oauth-authorization-server
    hints:
      requiresPreregisteredClient: true
`;

describe('loadStaticConfig', () => {
  it('loads YAML (.yaml and .yml)', async () => {
    for (const name of ['a.yaml', 'a.yml']) {
      const config = await loadStaticConfig(await file(name, YAML));
      expect(config.resources).toHaveLength(2);
      expect(config.resources[0]?.scopes).toEqual(['read', 'write']);
      expect(config.resources[1]?.resource).toEqual({ pattern: 'https://*.example.com/**' });
    }
  });

  it('loads JSON', async () => {
    const json = {
      resources: [{ resource: 'https://mcp.example.com/mcp', issuer: 'https://auth.example.com' }],
    };
    const config = await loadStaticConfig(await file('a.json', JSON.stringify(json, null, 2)));
    expect(config).toEqual(json);
  });

  it('names the file, line and column of a JSON syntax error', async () => {
    const path = await file(
      'bad.json',
      '{\n  "resources": [\n    { "resource": "https://x.example.com", }\n  ]\n}\n',
    );
    const error = await loadError(path);
    expect(error.message).toContain(`Invalid JSON in static config ${path}:3:44: `);
  });

  it('names the file, line and column of a YAML syntax error', async () => {
    const path = await file(
      'bad.yaml',
      'resources:\n  - resource: https://x.example.com\n    issuer: [unclosed\n',
    );
    const error = await loadError(path);
    expect(error.message).toMatch(
      new RegExp(`^Invalid YAML in static config ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `),
    );
  });

  it('reports a duplicate YAML key as a syntax error', async () => {
    const path = await file('dup.yaml', 'resources: []\nresources: []\n');
    expect((await loadError(path)).message).toContain(`Invalid YAML in static config ${path}:2:1`);
  });

  it('names the file and the key of a schema error', async () => {
    const path = await file(
      'schema.yaml',
      YAML.replace('issuer: https://auth.example.com', 'issuer: http://auth.example.com'),
    );
    const error = await loadError(path);
    expect(error.message).toBe(
      `Invalid static config ${path}: resources[0].issuer: expected an absolute https URL (http only for loopback hosts)`,
    );
  });

  it('refuses an unknown extension and a missing file', async () => {
    expect((await loadError(join(dir, 'config.toml'))).message).toContain('unknown extension ".toml"');
    expect((await loadError(join(dir, 'missing.yaml'))).message).toContain(
      `Cannot read static config ${join(dir, 'missing.yaml')}`,
    );
  });

  it('refuses an empty file', async () => {
    expect((await loadError(await file('empty.yaml', ''))).message).toMatch(
      /expected an object with a resources array/,
    );
  });
});
