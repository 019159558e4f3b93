import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  prmPath,
  protectedResourceMetadata,
  startWorld,
  unauthorized,
  type World,
} from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuiltCli } from './helpers.js';
import { atlassianWorld, prmWorld, type TestWorld } from './worlds.js';

requireBuiltCli();

/** A port that was just bound and closed: nothing listens there. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let atlassian: TestWorld;
let foreignIssuer: TestWorld;
let blocked: World;
let nothing: World;
let hanging: World;
let configDir: string;

beforeAll(async () => {
  atlassian = await atlassianWorld({ mcp: '127.0.0.2', as: '127.0.0.3' });
  // PRM names the AS by its origin, but its metadata names a third host as issuer.
  foreignIssuer = await prmWorld(
    { mcp: '127.0.0.4', as: '127.0.0.5' },
    { issuer: 'http://127.0.0.9:1' },
    (as) => ({
      resourceMetadata: { authorizationServers: [as.origin] },
    }),
  );
  blocked = await startWorld({
    origins: {
      mcp: {
        host: '127.0.0.6',
        routes: {
          '/mcp': unauthorized('Bearer realm="x"'),
          // 0.0.0.0 is refused before any connection is attempted.
          [prmPath('/mcp')]: {
            json: (w) => protectedResourceMetadata(w.url('mcp', '/mcp'), ['https://0.0.0.0:9']),
          },
        },
      },
    },
  });
  nothing = await startWorld({
    origins: { mcp: { host: '127.0.0.7', routes: { '/mcp': { status: 401 } } } },
  });
  hanging = await startWorld({
    origins: {
      mcp: {
        host: '127.0.0.8',
        routes: {
          '/mcp': { hang: true },
          [prmPath('/mcp')]: { hang: true },
          '/.well-known/oauth-protected-resource': { hang: true },
          '/.well-known/oauth-authorization-server': { hang: true },
          '/.well-known/openid-configuration': { hang: true },
        },
      },
    },
  });
  configDir = await mkdtemp(join(tmpdir(), 'oauth-discovery-cli-config-'));
});

afterAll(async () => {
  await Promise.all([
    atlassian?.close(),
    foreignIssuer?.close(),
    blocked?.close(),
    nothing?.close(),
    hanging?.close(),
  ]);
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

function parseJson(stdout: string): Record<string, unknown> {
  // Exactly one JSON object on stdout, nothing else.
  const value: unknown = JSON.parse(stdout);
  expect(typeof value).toBe('object');
  return value as Record<string, unknown>;
}

describe('discover: usage', () => {
  it('--version prints the version and exits 0', async () => {
    const result = await cli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--help lists the commands, examples, and where the exit codes are', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['discover', 'check', 'login', 'logout', 'tools', 'presets', 'help']) {
      expect(result.stdout).toContain(command);
    }
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('help exit-codes');
    expect(result.stdout).not.toMatch(/3 {2}refused for a security reason/);
  });

  it('discover --help lists its flags', async () => {
    const result = await cli(['discover', '--help']);
    expect(result.code).toBe(0);
    for (const flag of [
      '--json',
      '--allow-private-network',
      '--preset',
      '--issuer',
      '--config',
      '--timeout',
      '--no-cache',
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });

  it.each([
    ['an unknown command', ['frobnicate', 'http://127.0.0.1/'], "unknown command 'frobnicate'"],
    ['an unknown flag', ['discover', 'http://127.0.0.1/', '--frobnicate'], "unknown option '--frobnicate'"],
    ['a missing URL', ['discover'], "missing required argument 'url'"],
    ['a URL that is not http(s)', ['discover', 'ftp://example.test/'], 'expected an absolute http(s) URL'],
    ['a relative URL', ['discover', '/mcp'], 'expected an absolute http(s) URL'],
    [
      'a bad --timeout',
      ['discover', 'http://127.0.0.1/', '--timeout', 'soon'],
      'expected a positive integer',
    ],
    [
      'a flag of another command',
      ['discover', 'http://127.0.0.1/', '--client-id', 'x'],
      "unknown option '--client-id'",
    ],
    ['no command at all', [], 'Usage: oauth-discovery'],
  ])('%s exits 2 with a usage error', async (_name, args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('an unknown preset exits 2 naming it and the known ones', async () => {
    const result = await cli(['discover', atlassian.mcp.url, '--preset', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error INVALID_CONFIG: Unknown preset "nope"');
    expect(result.stderr).toContain('atlassian');
  });
});

describe('discover: the Atlassian-shaped world', () => {
  it('--json prints one object with every key of the documented shape', async () => {
    const result = await cli(['discover', atlassian.mcp.url, '--json']);
    expect(result.code).toBe(0);
    const json = parseJson(result.stdout);
    expect(Object.keys(json).sort()).toEqual(
      [
        'authorizationServer',
        'fromCache',
        'guessed',
        'hints',
        'pkce',
        'resource',
        'resourceMetadata',
        'scopes',
        'totals',
        'trace',
      ].sort(),
    );
    expect(json.resource).toBe(atlassian.mcp.url);
    const server = json.authorizationServer as Record<string, unknown>;
    expect(Object.keys(server).sort()).toEqual([
      'issuer',
      'issuerCheck',
      'metadata',
      'metadataUrl',
      'source',
    ]);
    expect(server.issuer).toBe(atlassian.as.issuer);
    expect(server.issuerCheck).toBe('adopted');
    expect(server.metadataUrl).toBe(`${atlassian.mcp.origin}/.well-known/oauth-authorization-server`);
    expect((server.metadata as Record<string, unknown>).token_endpoint).toBe(atlassian.as.url('/token'));
    expect(json.resourceMetadata).toBeNull();
    expect(json.scopes).toBeNull();
    expect(json.guessed).toBe(false);
    expect(json.pkce).toEqual({ s256Advertised: true, s256Usable: true });

    const trace = json.trace as Record<string, unknown>[];
    for (const step of trace) {
      expect(Object.keys(step).sort()).toEqual([
        'attempts',
        'durationMs',
        'notes',
        'outcome',
        'reason',
        'strategy',
      ]);
      for (const attempt of step.attempts as Record<string, unknown>[]) {
        expect(Object.keys(attempt).sort()).toEqual(
          ['cached', 'durationMs', 'error', 'method', 'outcome', 'speculative', 'status', 'url'].sort(),
        );
      }
    }
    const prm = trace.find((step) => step.strategy === 'rfc9728');
    expect(prm?.outcome).toBe('not-found');
    expect(
      ((prm?.attempts ?? []) as { url: string; status: number }[]).map((a) => [a.url, a.status]),
    ).toEqual([
      [`${atlassian.mcp.origin}/.well-known/oauth-protected-resource/v1/mcp`, 404],
      [`${atlassian.mcp.origin}/.well-known/oauth-protected-resource`, 404],
    ]);
    const rfc8414 = trace.find((step) => step.strategy === 'rfc8414');
    expect(rfc8414?.outcome).toBe('found');
    expect(((rfc8414?.notes ?? []) as string[]).join(' ')).toContain(`adopted ${atlassian.as.issuer}`);
    const probe = trace.find((step) => step.strategy === 'www-authenticate');
    expect(
      ((probe?.attempts ?? []) as { method: string; status: number; error: unknown }[])[0],
    ).toMatchObject({
      method: 'POST',
      status: 401,
      error: null,
    });
  });

  it('human output: the trace table and the result, plain when piped; the steps are not said twice on stderr', async () => {
    const result = await cli(['discover', atlassian.mcp.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Discovery of ${atlassian.mcp.url}`);
    expect(result.stdout).toMatch(/not-found rfc9728/);
    expect(result.stdout).toContain(
      `GET ${atlassian.mcp.origin}/.well-known/oauth-protected-resource/v1/mcp → 404`,
    );
    expect(result.stdout).toMatch(/issuer\s+http:\/\/127\.0\.0\.3:\d+/);
    expect(result.stdout).toContain('adopted');
    expect(result.stdout).not.toContain('\u001b[');
    // Progress is a live line on a terminal only; piped, stderr stays empty on success.
    expect(result.stderr).toBe('');
  });

  it('human output leads with what was found and folds the presets that do not apply; --verbose shows them', async () => {
    const result = await cli(['discover', atlassian.mcp.url, '--no-cache']);
    expect(result.code).toBe(0);
    const [first] = result.stdout.split('\n');
    expect(first).toMatch(
      new RegExp(
        `^Authorization server ${atlassian.as.issuer} for ${atlassian.mcp.url} \\(issuer adopted, found by rfc8414; \\d+ requests?, \\d+ ms\\)$`,
      ),
    );
    expect(result.stdout).not.toContain('preset:');
    expect(result.stdout).not.toContain('https://mcp.atlassian.com');
    expect(result.stdout.match(/presets not for this resource \(--verbose shows each\)/g)).toHaveLength(1);

    const verbose = await cli(['discover', atlassian.mcp.url, '--no-cache', '--verbose']);
    expect(verbose.stdout).toContain('preset:microsoft-entra');
    expect(verbose.stdout).toContain('https://mcp.atlassian.com/v1/sse');
  });

  it('colours with FORCE_COLOR (as on a TTY)', async () => {
    const result = await cli(['discover', atlassian.mcp.url], { FORCE_COLOR: '1' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\u001b[32m');
  });

  it('--issuer pinning the MCP origin makes the foreign issuer an ISSUER_MISMATCH: exit 3', async () => {
    const result = await cli(['discover', atlassian.mcp.url, '--issuer', atlassian.mcp.origin]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error ISSUER_MISMATCH: /m);
    expect(result.stderr).toContain(atlassian.as.issuer);
    expect(result.stderr).toContain('what was tried:');
    // Each step once: in the summary, not also as progress.
    expect(result.stderr.match(/rfc9728/g)).toHaveLength(1);
  });

  it('--json on failure prints { error: { code, message }, trace }', async () => {
    const result = await cli(['discover', atlassian.mcp.url, '--issuer', atlassian.mcp.origin, '--json']);
    expect(result.code).toBe(3);
    const json = parseJson(result.stdout);
    expect(Object.keys(json).sort()).toEqual(['error', 'totals', 'trace']);
    expect(Object.keys(json.error as object).sort()).toEqual(['code', 'message']);
    expect((json.error as { code: string }).code).toBe('ISSUER_MISMATCH');
    const steps = json.trace as { strategy: string; outcome: string }[];
    expect(steps.find((step) => step.strategy === 'static-config')?.outcome).toBe('found');
    expect(steps.at(-1)).toMatchObject({ strategy: 'rfc8414', outcome: 'failed' });
  });

  it('a YAML config accepting the foreign issuer as an alias succeeds (issuer check "alias")', async () => {
    const file = join(configDir, 'alias.yaml');
    await writeFile(
      file,
      `resources:\n  - resource: ${atlassian.mcp.url}\n    issuer: ${atlassian.mcp.origin}\n    acceptedIssuers:\n      - ${atlassian.as.issuer}\n`,
    );
    const result = await cli(['discover', atlassian.mcp.url, '--config', file, '--json']);
    expect(result.code).toBe(0);
    const json = parseJson(result.stdout);
    expect(json.authorizationServer).toMatchObject({ issuer: atlassian.as.issuer, issuerCheck: 'alias' });
  });

  it('a config file with a bad key exits 2 naming the key', async () => {
    const file = join(configDir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({ resources: [{ resource: atlassian.mcp.url, issuer: 'not a url' }] }),
    );
    const result = await cli(['discover', atlassian.mcp.url, '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error INVALID_CONFIG: /m);
    expect(result.stderr).toContain('resources[0].issuer');
  });

  it('a config file with a YAML syntax error exits 2 naming file, line and column', async () => {
    const file = join(configDir, 'broken.yaml');
    await writeFile(file, 'resources:\n  - resource: "unterminated\n');
    const result = await cli(['discover', atlassian.mcp.url, '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:`);
  });

  it('a missing config file exits 2', async () => {
    const result = await cli(['discover', atlassian.mcp.url, '--config', join(configDir, 'missing.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing.json');
  });

  it('a config entry naming an unknown preset exits 2 naming it', async () => {
    const file = join(configDir, 'preset.json');
    await writeFile(
      file,
      JSON.stringify({
        resources: [{ resource: atlassian.mcp.url, issuer: atlassian.mcp.origin, preset: 'nope' }],
      }),
    );
    const result = await cli(['discover', atlassian.mcp.url, '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown preset "nope"');
  });
});

describe('discover: security refusals and failures', () => {
  it('an authorization server naming a foreign issuer behind PRM: ISSUER_MISMATCH, exit 3', async () => {
    const result = await cli(['discover', foreignIssuer.mcp.url, '--json']);
    expect(result.code).toBe(3);
    expect((parseJson(result.stdout).error as { code: string }).code).toBe('ISSUER_MISMATCH');
    expect(result.stderr).toContain('error ISSUER_MISMATCH:');
  });

  it('a PRM pointing at a blocked address: BLOCKED_ADDRESS, exit 3', async () => {
    const result = await cli(['discover', blocked.url('mcp', '/mcp')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('error BLOCKED_ADDRESS:');
  });

  it('plain http to a host that is not loopback: INSECURE_URL, exit 3 (no request leaves the machine)', async () => {
    const result = await cli(['discover', 'http://mcp.example.test/mcp', '--json']);
    expect(result.code).toBe(3);
    expect((parseJson(result.stdout).error as { code: string }).code).toBe('INSECURE_URL');
  });

  it('nothing published and --no-guess: DISCOVERY_FAILED, exit 1, every path tried on stderr', async () => {
    const url = nothing.url('mcp', '/mcp');
    const result = await cli(['discover', url, '--no-guess']);
    expect(result.code).toBe(1);
    // The cause on the first line, then each URL once.
    expect(result.stderr.split('\n')[0]).toMatch(
      /^error DISCOVERY_FAILED: No authorization server found for \S+: nothing is published: all \d+ requests answered 401 or 404$/,
    );
    const prm = `${nothing.origin('mcp')}/.well-known/oauth-protected-resource/mcp →`;
    expect(result.stderr.split(prm)).toHaveLength(2);
    expect(result.stderr).toContain(`${nothing.origin('mcp')}/.well-known/oauth-authorization-server`);
    expect(result.stderr).not.toContain('preset:');
  });

  it('nothing published, default: the MCP 2025-03-26 endpoints are guessed (exit 0, guessed: true)', async () => {
    const result = await cli(['discover', nothing.url('mcp', '/mcp'), '--json']);
    expect(result.code).toBe(0);
    const json = parseJson(result.stdout);
    expect(json.guessed).toBe(true);
    expect(json.authorizationServer).toMatchObject({ issuerCheck: 'guessed', metadataUrl: null });
  });

  it('nothing published, text: every guessed value says "guessed"', async () => {
    const result = await cli(['discover', nothing.url('mcp', '/mcp')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/issuer\s+http:\/\/127\.0\.0\.7:\d+ \(guessed\)/);
    expect(result.stdout).toMatch(/authorization endpoint\s+\S+\/authorize \(guessed\)/);
    expect(result.stdout).toMatch(/PKCE\s+guessed/);
    expect(result.stdout).not.toContain('S256 advertised');
  });

  it('--json carries the totals: request count, duration, relaxations; --speculate shows unused speculation', async () => {
    const plain = parseJson((await cli(['discover', atlassian.mcp.url, '--json', '--no-cache'])).stdout) as {
      totals: {
        requestCount: number;
        durationMs: number;
        relaxations: string[];
        unusedSpeculation: unknown[];
      };
    };
    expect(plain.totals.requestCount).toBeGreaterThan(0);
    expect(plain.totals.durationMs).toBeGreaterThanOrEqual(0);
    expect(plain.totals.relaxations.join(' ')).toContain('allowAddressRanges:loopback');
    expect(plain.totals.unusedSpeculation).toEqual([]);
    // The PRM named in the 401 was fetched ahead with the root PRM, which nothing used.
    const fast = parseJson(
      (await cli(['discover', foreignIssuer.mcp.url, '--json', '--no-cache', '--speculate'])).stdout,
    ) as { error: { code: string }; totals: typeof plain.totals };
    expect(fast.error.code).toBe('ISSUER_MISMATCH');
    const unused = fast.totals.unusedSpeculation as { speculative: boolean; url: string }[];
    expect(unused.length).toBeGreaterThan(0);
    for (const attempt of unused) expect(attempt.speculative).toBe(true);
  });

  it('a dead port: NETWORK_ERROR, exit 1, nothing guessed', async () => {
    const port = await deadPort();
    const result = await cli(['discover', `http://127.0.0.1:${port}/mcp`, '--json']);
    expect(result.code).toBe(1);
    const json = parseJson(result.stdout) as { error: { code: string; message: string } };
    expect(json.error.code).toBe('NETWORK_ERROR');
    expect(json.error.message).toMatch(/^Request to \S+ failed: connection refused/);
    // The message lists every step; stderr does not repeat them.
    expect(result.stderr).not.toContain('what was tried:');
    expect(result.stdout).not.toContain('"guessed": true');
  });

  it('a dead port, for people: the cause on the first line, the refusal printed once', async () => {
    const port = await deadPort();
    const result = await cli(['discover', `http://127.0.0.1:${port}/mcp`]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^error NETWORK_ERROR: Request to \S+ failed: connection refused/);
    expect(result.stderr.match(/connection refused/g)).toHaveLength(1);
    expect(lines).toContain('what was tried:');
    expect(lines.at(-1)).toMatch(/^ {2}presets: \d+ not for this resource/);
  });

  it('a server that never answers: --timeout bounds the run, exit 1', async () => {
    const result = await cli(['discover', hanging.url('mcp', '/mcp'), '--timeout', '1500', '--json']);
    expect(result.code).toBe(1);
    expect((parseJson(result.stdout).error as { code: string }).code).toMatch(/DEADLINE_EXCEEDED|TIMEOUT/);
  });
});

describe('presets', () => {
  it('--json lists every built-in preset with dated, sourced facts', async () => {
    const result = await cli(['presets', '--json']);
    expect(result.code).toBe(0);
    const { presets } = parseJson(result.stdout) as {
      presets: { name: string; facts: { observed: string; source: string; statement: string }[] }[];
    };
    expect(presets.map((p) => p.name).slice(0, 3)).toEqual(['atlassian', 'github', 'microsoft-entra']);
    for (const preset of presets) {
      expect(preset.facts.length).toBeGreaterThan(0);
      for (const fact of preset.facts) {
        expect(fact.observed).toMatch(/^\d{4}(-\d{2}){0,2}$/);
        expect(fact.source.length).toBeGreaterThan(0);
      }
    }
  });

  it('human output names each preset and the dates', async () => {
    const result = await cli(['presets']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^atlassian — Atlassian/m);
    expect(result.stdout).toMatch(/\[\d{4}-\d{2}(-\d{2})?\]/);
  });
});
