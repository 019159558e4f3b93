import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args.js';
import { firstResponse } from '../src/challenge.js';
import { benchCliStart } from '../src/cli-start.js';
import { isExpected } from '../src/run-world.js';
import { median, mib, round1 } from '../src/stats.js';
import {
  type HostedResource,
  type HostedWorld,
  hostWorld,
  type LogCount,
  settledCount,
  startLocalWorld,
} from '../src/world-host.js';

describe('parseArgs', () => {
  it('reads --json and --quick', () => {
    expect(parseArgs([])).toEqual({ json: false, quick: false, help: false });
    expect(parseArgs(['--quick', '--json'])).toEqual({ json: true, quick: true, help: false });
    expect(parseArgs(['--help']).help).toBe(true);
  });

  it('refuses an unknown argument with INVALID_CONFIG naming it', () => {
    const error = (() => {
      try {
        parseArgs(['--quick', '--fast']);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isDiscoveryError(error, ErrorCodes.INVALID_CONFIG)).toBe(true);
    if (!isDiscoveryError(error)) return;
    expect(error.actual).toBe('--fast');
    expect(error.message).toContain('--fast');
  });
});

describe('stats', () => {
  it('median of odd and even counts, unsorted input, none', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('rounds to one decimal and converts bytes to MiB', () => {
    expect(round1(1.26)).toBe(1.3);
    expect(mib(3 * 1024 * 1024 + 52429)).toBe(3.1);
  });
});

describe('isExpected', () => {
  it('wants the expected issuer, ignoring one trailing slash', () => {
    expect(isExpected({ kind: 'metadata', issuer: 'http://127.0.0.2:1/' }, 'http://127.0.0.2:1')).toBe(true);
    expect(isExpected({ kind: 'metadata', issuer: 'http://127.0.0.3:1' }, 'http://127.0.0.2:1')).toBe(false);
    expect(isExpected({ kind: 'guessed' }, 'http://127.0.0.2:1')).toBe(false);
    expect(isExpected({ kind: 'error', error: 'DISCOVERY_FAILED' }, 'http://127.0.0.2:1')).toBe(false);
  });

  it('in a world without metadata, wants none or the guessed defaults', () => {
    expect(isExpected({ kind: 'guessed' }, undefined)).toBe(true);
    expect(isExpected({ kind: 'none' }, undefined)).toBe(true);
    expect(isExpected({ kind: 'metadata', issuer: 'http://127.0.0.1:1' }, undefined)).toBe(false);
    expect(isExpected({ kind: 'error', error: 'DISCOVERY_FAILED' }, undefined)).toBe(false);
  });
});

describe('benchCliStart', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('skips with a note naming the missing CLI', async () => {
    const missing = join(tmpdir(), 'no-such-dir-oauth-discovery', 'cli.js');
    const result = await benchCliStart(1, missing);
    expect(result.medianMs).toBeNull();
    expect(result.runs).toBe(0);
    expect(result.note).toContain(missing);
    expect(result.nodeBaselineMs).toBeGreaterThan(0);
  });

  it('times a CLI that prints its version, and notes one that fails', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-cli-'));
    const good = join(dir, 'good.js');
    const bad = join(dir, 'bad.js');
    await writeFile(good, "process.stdout.write('1.2.3\\n');\n");
    await writeFile(bad, 'process.exit(3);\n');
    const ok = await benchCliStart(2, good);
    expect(ok.runs).toBe(2);
    expect(ok.medianMs).toBeGreaterThan(0);
    expect(ok.note).toBeUndefined();
    const failed = await benchCliStart(1, bad);
    expect(failed.medianMs).toBeNull();
    expect(failed.note).toMatch(/^failed: .*bad\.js --version/);
  });
});

describe('hostWorld (in process)', () => {
  it('refuses an unknown world with INVALID_CONFIG', async () => {
    const error = await startLocalWorld({ kind: 'shape', name: 'no-such-world', latencyMs: 0 }).catch(
      (e: unknown) => e,
    );
    expect(isDiscoveryError(error, ErrorCodes.INVALID_CONFIG)).toBe(true);
    if (isDiscoveryError(error)) expect(error.actual).toBe('no-such-world');
  });

  it('hosts the scale world: every resource with its issuer, requests counted by the servers', async () => {
    const plan = { discoveries: 4, resources: 4, authorizationServers: 2, latencyMs: 0, rounds: 1 };
    const world = await hostWorld({ kind: 'scale', plan }, 'in-process');
    try {
      expect(world.placement).toBe('in-process');
      expect(world.resources).toHaveLength(4);
      const issuers = new Set(world.resources.map((r) => r.issuer));
      expect(issuers.size).toBe(2);
      const first = await firstResponse((world.resources[0] as HostedResource).url);
      expect(first.status).toBe(401);
      expect(first.sdkResourceMetadataUrl?.pathname).toBe('/.well-known/oauth-protected-resource/t0/mcp');
      expect(first.wwwAuthenticate).toContain('resource_metadata=');
      expect(await world.count()).toEqual({ requests: 1, aborted: 0 });
      await world.clearLog();
      expect(await world.count()).toEqual({ requests: 0, aborted: 0 });
    } finally {
      await world.close();
    }
  });
});

describe('settledCount', () => {
  function worldCounting(counts: readonly LogCount[]): HostedWorld & { reads: number } {
    const world = {
      placement: 'in-process' as const,
      resources: [],
      reads: 0,
      clearLog: async () => {},
      count: async () => counts[Math.min(world.reads++, counts.length - 1)] as LogCount,
      close: async () => {},
    };
    return world;
  }

  it('waits until two reads agree, aborts included', async () => {
    const world = worldCounting([
      { requests: 2, aborted: 0 },
      { requests: 3, aborted: 0 },
      { requests: 3, aborted: 1 },
      { requests: 3, aborted: 1 },
    ]);
    expect(await settledCount(world, 1)).toEqual({ requests: 3, aborted: 1 });
    expect(world.reads).toBe(4);
  });

  it('gives up after maxWaitMs with the last read', async () => {
    const counts = Array.from({ length: 50 }, (_, i) => ({ requests: i, aborted: 0 }));
    const world = worldCounting(counts);
    const count = await settledCount(world, 1, 5);
    expect(world.reads).toBe(6);
    expect(count).toEqual({ requests: 5, aborted: 0 });
  });
});
