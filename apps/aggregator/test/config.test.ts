import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ErrorCodes } from '@oauth-discovery/core';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, startAggregator, validateConfig } from '../src/index.js';
import { configError, tempDir } from './helpers.js';

const upstream = { name: 'a', url: 'https://mcp.example.com/mcp' };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

describe('configuration', () => {
  it('fills the defaults of a minimal YAML file', () => {
    const config = parseConfig('upstreams:\n  - name: jira\n    url: https://mcp.atlassian.com/v1/mcp\n');
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.upstreams[0]?.auth).toEqual({ type: 'oauth' });
    expect(config.discovery.concurrency).toBe(16);
    expect(config.discovery.allowPrivateNetwork).toBe(false);
  });

  it('an unknown key is INVALID_CONFIG naming the key', () => {
    const error = configError(() =>
      validateConfig({ upstreams: [upstream], listne: { port: 1 } }, 'agg.yaml'),
    );
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error.message).toBe('agg.yaml: listne: unknown key');
    const nested = configError(() =>
      validateConfig({ upstreams: [{ ...upstream, auth: { type: 'oauth', scope: 'x' } }] }),
    );
    expect(nested.message).toContain('upstreams[0].auth.scope: unknown key');
  });

  it('a missing URL is INVALID_CONFIG naming upstreams[i].url', () => {
    const error = configError(() => validateConfig({ upstreams: [{ name: 'a' }] }));
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error.message).toContain('upstreams[0].url: is required');
    const bad = configError(() => validateConfig({ upstreams: [{ name: 'a', url: 'ftp://x' }] }));
    expect(bad.message).toContain('upstreams[0].url: must be an absolute http(s) URL');
  });

  it('a duplicate upstream name is INVALID_CONFIG naming both entries', () => {
    const error = configError(() =>
      validateConfig({ upstreams: [upstream, { ...upstream, url: 'https://b.example/mcp' }] }),
    );
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error.message).toContain(
      'upstreams[1].name: duplicate upstream name "a" (also upstreams[0].name)',
    );
  });

  it('a duplicate upstream URL is INVALID_CONFIG naming both entries (they would share tokens and pins)', () => {
    const error = configError(() =>
      validateConfig({ upstreams: [upstream, { name: 'b', url: 'HTTPS://mcp.example.com:443/mcp' }] }),
    );
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error.message).toBe(
      'config: upstreams[1].url: duplicate upstream url https://mcp.example.com/mcp (also upstreams[0].url)',
    );
  });

  it('refuses names with the tool separator, unknown presets, unknown auth types and bad YAML', () => {
    expect(
      configError(() => validateConfig({ upstreams: [{ ...upstream, name: 'a__b' }] })).message,
    ).toContain('upstreams[0].name: must not contain "__"');
    expect(
      configError(() =>
        validateConfig({ upstreams: [{ ...upstream, auth: { type: 'oauth', preset: 'nope' } }] }),
      ).message,
    ).toContain('upstreams[0].auth.preset: must be one of the built-in presets');
    expect(
      configError(() => validateConfig({ upstreams: [{ ...upstream, auth: { type: 'basic' } }] })).message,
    ).toContain('upstreams[0].auth.type');
    expect(configError(() => parseConfig('upstreams: [\n', 'x.yaml')).code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(configError(() => validateConfig({ upstreams: [] })).message).toContain(
      'upstreams: must list at least one upstream',
    );
  });

  it('refuses an issuer pin, a resource URL or a preset list that discovery could never use, naming the key', () => {
    const pinned = (issuer: string) =>
      configError(() => validateConfig({ upstreams: [{ ...upstream, auth: { type: 'oauth', issuer } }] }));
    for (const issuer of [
      'http://login.example.com',
      'https://login.example.com/?tenant=a',
      'https://admin:secret@login.example.com',
      'not a URL',
    ]) {
      const error = pinned(issuer);
      expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
      expect(error.message).toBe(
        'config: upstreams[0].auth.issuer: must be an https URL without credentials, query or fragment (http only for loopback hosts)',
      );
    }
    expect(() =>
      validateConfig({
        upstreams: [{ ...upstream, auth: { type: 'oauth', issuer: 'http://127.0.0.9:4000' } }],
      }),
    ).not.toThrow();
    expect(
      configError(() =>
        validateConfig({ upstreams: [{ ...upstream, url: 'https://mcp.example.com/mcp#x' }] }),
      ).message,
    ).toBe('config: upstreams[0].url: must not have a fragment (#…)');
    expect(
      configError(() =>
        validateConfig({ discovery: { presets: ['atlassian', 'nope'] }, upstreams: [upstream] }),
      ).message,
    ).toContain('discovery.presets[1]: must be one of the built-in presets');
    expect(
      configError(() =>
        validateConfig({
          discovery: { presetHosts: { 'https://mcp.atlassian.com': 'http://127.0.0.2:41234/v1' } },
          upstreams: [upstream],
        }),
      ).message,
    ).toBe(
      'config: discovery.presetHosts.https://mcp.atlassian.com: must be an http(s) origin only (scheme, host and port, no path)',
    );
    expect(
      configError(() =>
        validateConfig({
          discovery: { presets: ['github'] },
          upstreams: [{ ...upstream, auth: { type: 'oauth', preset: 'atlassian' } }],
        }),
      ).message,
    ).toBe(
      'config: upstreams[0].auth.preset: preset atlassian is not enabled: discovery.presets is ["github"]',
    );
  });

  it('does not start on an address it cannot listen on: INVALID_CONFIG naming listen', async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', () => done()));
    cleanups.push(() => new Promise<void>((done) => taken.close(() => done())));
    const { port } = taken.address() as AddressInfo;
    const config = validateConfig({
      listen: { host: '127.0.0.1', port },
      upstreams: [{ ...upstream, auth: { type: 'none' } }],
    });
    await expect(startAggregator(config, { env: {} })).rejects.toMatchObject({
      code: ErrorCodes.INVALID_CONFIG,
      message: `listen: cannot listen on 127.0.0.1:${port} (EADDRINUSE)`,
    });
  });

  it('loadConfig names the file, and resolves storageDir next to it', async () => {
    const folder = await tempDir();
    cleanups.push(folder.remove);
    const path = join(folder.dir, 'aggregator.yaml');
    await writeFile(
      path,
      'storageDir: data\nupstreams:\n  - name: a\n    url: https://mcp.example.com/mcp\n',
    );
    expect((await loadConfig(path)).storageDir).toBe(join(folder.dir, 'data'));
    await writeFile(path, 'upstreams:\n  - name: a\n');
    await expect(loadConfig(path)).rejects.toMatchObject({
      code: ErrorCodes.INVALID_CONFIG,
      message: `${path}:2:5: upstreams[0].url: is required`,
    });
    await expect(loadConfig(join(folder.dir, 'missing.yaml'))).rejects.toMatchObject({
      code: ErrorCodes.INVALID_CONFIG,
    });
  });

  it('does not start when a secret named in the config is missing from the environment', async () => {
    const config = validateConfig({
      listen: { port: 0 },
      upstreams: [{ ...upstream, auth: { type: 'bearer', tokenEnv: 'AGG_TEST_TOKEN' } }],
    });
    await expect(startAggregator(config, { env: {} })).rejects.toMatchObject({
      code: ErrorCodes.INVALID_CONFIG,
      message: 'upstreams[0].auth.tokenEnv: environment variable AGG_TEST_TOKEN is not set',
    });
  });
});

describe('configuration refusals of the security review (issue 10)', () => {
  it('refuses an upstream name ending in "_": notes_ and notes would share notes___search (finding 11)', () => {
    const error = configError(() =>
      validateConfig(
        {
          upstreams: [
            { name: 'notes', url: 'https://notes.example/mcp' },
            { name: 'notes_', url: 'https://other-notes.example/mcp' },
          ],
        },
        'agg.yaml',
      ),
    );
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error.message).toBe(
      `agg.yaml: upstreams[1].name: must not end with "_" (its tool names <name>__<tool> would also read as another upstream's)`,
    );
    // Names with "_" or "-" inside stay valid: the first "__" of a tool name is always the separator.
    expect(
      validateConfig({ upstreams: [{ name: 'my_notes-2', url: 'https://n.example/mcp' }] }).upstreams,
    ).toHaveLength(1);
  });

  it('refuses a bearer or OAuth upstream on plain http to a non-loopback host (finding 17)', () => {
    const bearer = configError(() =>
      validateConfig(
        {
          upstreams: [
            {
              name: 'internal',
              url: 'http://tools.internal.example/mcp',
              auth: { type: 'bearer', tokenEnv: 'T' },
            },
          ],
        },
        'agg.yaml',
      ),
    );
    expect(bearer.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(bearer.message).toBe(
      'agg.yaml: upstreams[0].url: is plain http to a non-loopback host: with auth.type bearer the token from auth.tokenEnv would travel in clear; use https (http only for loopback hosts)',
    );
    const oauth = configError(() =>
      validateConfig({ upstreams: [{ name: 'a', url: 'http://10.0.0.5:8080/mcp' }] }),
    );
    expect(oauth.message).toContain(
      'upstreams[0].url: is plain http to a non-loopback host: with auth.type oauth',
    );
    // Loopback http, https, and http with no credential at all stay allowed.
    expect(
      validateConfig({
        upstreams: [
          { name: 'a', url: 'http://127.0.0.1:3000/mcp', auth: { type: 'bearer', tokenEnv: 'T' } },
          { name: 'b', url: 'http://localhost:3001/mcp' },
          { name: 'c', url: 'https://tools.internal.example/mcp', auth: { type: 'bearer', tokenEnv: 'T' } },
          { name: 'd', url: 'http://tools.internal.example/mcp', auth: { type: 'none' } },
        ],
      }).upstreams,
    ).toHaveLength(4);
  });

  it('refuses a non-loopback listen.host without client authentication unless auth.allowNonLoopbackListen (finding 18)', () => {
    const error = configError(() =>
      validateConfig({ listen: { host: '0.0.0.0' }, upstreams: [upstream] }, 'agg.yaml'),
    );
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error.message).toBe(
      'agg.yaml: listen.host: 0.0.0.0 is not a loopback address and auth.type is none: anyone who can reach the port would use every upstream login; listen on 127.0.0.1, or set auth.allowNonLoopbackListen: true to accept that (weakens security)',
    );
    expect(
      configError(() => validateConfig({ listen: { host: '192.168.1.20' }, upstreams: [upstream] })).message,
    ).toContain('listen.host: 192.168.1.20 is not a loopback address');
    // Said explicitly: accepted, but a wildcard bind needs the public URL the Host/Origin check accepts.
    const noPublicUrl = configError(() =>
      validateConfig({
        listen: { host: '0.0.0.0' },
        auth: { type: 'none', allowNonLoopbackListen: true },
        upstreams: [upstream],
      }),
    );
    expect(noPublicUrl.message).toBe(
      'config: publicUrl: is required when listen.host is 0.0.0.0: requests are accepted only for the Host and Origin of publicUrl (and localhost)',
    );
    const config = validateConfig({
      listen: { host: '0.0.0.0' },
      publicUrl: 'https://gateway.example',
      auth: { type: 'none', allowNonLoopbackListen: true },
      upstreams: [upstream],
    });
    expect(config.auth).toEqual({ type: 'none', allowNonLoopbackListen: true });
    expect(validateConfig({ listen: { host: 'localhost' }, upstreams: [upstream] }).auth).toEqual({
      type: 'none',
      allowNonLoopbackListen: false,
    });
  });
});

describe('configuration errors all at once, each with file:line:column (issue 14)', () => {
  const yaml = [
    'listen:',
    '  host: 0.0.0.0',
    '  port: 99999',
    'upstreams:',
    '  - name: jira',
    '    url: https://mcp.atlassian.com/v1/mcp',
    '  - name: wiki',
    '  - name: jira',
    '    url: https://other.example/mcp',
    '    auth: { type: bearer, tokenEnv: T, scope: x }',
    '',
  ].join('\n');

  it('reports every problem in file order — per key and across keys — each at its node', () => {
    const error = configError(() => parseConfig(yaml, 'agg.yaml'));
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
    const problems = error.actual as string[];
    expect(problems).toHaveLength(5);
    expect(problems[0]).toBe(
      'agg.yaml:2:9: listen.host: 0.0.0.0 is not a loopback address and auth.type is none: anyone who can reach the port would use every upstream login; listen on 127.0.0.1, or set auth.allowNonLoopbackListen: true to accept that (weakens security)',
    );
    expect(problems[1]).toMatch(/^agg\.yaml:3:9: listen\.port: /);
    expect(problems.slice(2)).toEqual([
      'agg.yaml:7:5: upstreams[1].url: is required',
      'agg.yaml:8:11: upstreams[2].name: duplicate upstream name "jira" (also upstreams[0].name)',
      'agg.yaml:10:47: upstreams[2].auth.scope: unknown key',
    ]);
    expect(error.message).toBe(problems.join('; '));
  });

  it('a YAML syntax error names its line and column', () => {
    const error = configError(() => parseConfig('upstreams:\n  - name: a\n    url: [unclosed\n', 'agg.yaml'));
    expect(error.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error.message).toMatch(/^not valid YAML: agg\.yaml:\d+:\d+: /);
  });

  it('every missing secret is reported at once', async () => {
    const config = validateConfig({
      listen: { port: 0 },
      upstreams: [
        { ...upstream, auth: { type: 'bearer', tokenEnv: 'AGG_TEST_A' } },
        {
          name: 'b',
          url: 'https://b.example/mcp',
          auth: { type: 'oauth', clientId: 'x', clientSecretEnv: 'AGG_TEST_B' },
        },
      ],
    });
    await expect(startAggregator(config, { env: {} })).rejects.toMatchObject({
      code: ErrorCodes.INVALID_CONFIG,
      message:
        'upstreams[0].auth.tokenEnv: environment variable AGG_TEST_A is not set; upstreams[1].auth.clientSecretEnv: environment variable AGG_TEST_B is not set',
    });
  });
});
