import { DiscoveryError, type ErrorCodes } from '@oauth-discovery/core';
import type { FlowErrorCode } from '@oauth-discovery/mcp';
import { describe, expect, it } from 'vitest';
import { ExitCodes, exitCodeFor, markUsageError } from './exit-codes.js';
import type { CliIo } from './io.js';
import { useColor } from './io.js';
import { run } from './run.js';

function captureIo(env: Record<string, string> = {}): CliIo & { out(): string; err(): string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (chunk: string) => (out += chunk) },
    stderr: { write: (chunk: string) => (err += chunk) },
    env,
    out: () => out,
    err: () => err,
  };
}

describe('run (in-process)', () => {
  it('prints the version and resolves 0 without exiting the process', async () => {
    const io = captureIo();
    expect(await run(['--version'], io)).toBe(0);
    expect(io.out().trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('no arguments: help on stderr, exit 2', async () => {
    const io = captureIo();
    expect(await run([], io)).toBe(2);
    expect(io.err()).toContain('Usage: oauth-discovery');
    expect(io.out()).toBe('');
  });

  it('an unknown command: error USAGE on stderr, exit 2', async () => {
    const io = captureIo();
    expect(await run(['nope'], io)).toBe(2);
    expect(io.err()).toContain("error USAGE: unknown command 'nope'");
  });

  it('presets --json writes one JSON object to the given stdout', async () => {
    const io = captureIo();
    expect(await run(['presets', '--json'], io)).toBe(0);
    const { presets } = JSON.parse(io.out()) as { presets: { name: string }[] };
    expect(presets.map((p) => p.name)).toContain('atlassian');
  });
});

describe('exitCodeFor', () => {
  const error = (code: keyof typeof ErrorCodes | FlowErrorCode) => new DiscoveryError(code, code);

  it.each([
    ['ISSUER_MISMATCH', ExitCodes.SECURITY],
    ['RESOURCE_MISMATCH', ExitCodes.SECURITY],
    ['BLOCKED_ADDRESS', ExitCodes.SECURITY],
    ['INSECURE_URL', ExitCodes.SECURITY],
    ['CROSS_ORIGIN_REDIRECT', ExitCodes.SECURITY],
    ['PKCE_NOT_SUPPORTED', ExitCodes.SECURITY],
    ['STATE_MISMATCH', ExitCodes.SECURITY],
    ['INVALID_CONFIG', ExitCodes.USAGE],
    ['REGISTRATION_REFUSED', ExitCodes.AUTHORIZATION],
    ['AUTHORIZATION_FAILED', ExitCodes.AUTHORIZATION],
    ['TOKEN_REQUEST_FAILED', ExitCodes.AUTHORIZATION],
    ['STEP_UP_LIMIT', ExitCodes.AUTHORIZATION],
    ['LOGIN_REQUIRED', ExitCodes.AUTHORIZATION],
    ['STORE_CORRUPT', ExitCodes.AUTHORIZATION],
    ['DISCOVERY_FAILED', ExitCodes.FAILED],
    ['NETWORK_ERROR', ExitCodes.FAILED],
    ['DEADLINE_EXCEEDED', ExitCodes.FAILED],
  ] as const)('%s → %i', (code, exit) => {
    expect(exitCodeFor(error(code))).toBe(exit);
  });

  it('every security error code of core maps to 3', async () => {
    const { SECURITY_ERROR_CODES } = await import('@oauth-discovery/core');
    for (const code of SECURITY_ERROR_CODES) expect(exitCodeFor(new DiscoveryError(code, code))).toBe(3);
  });

  it('an error marked as usage maps to 2 whatever its code; other errors to 1', () => {
    expect(exitCodeFor(markUsageError(error('NETWORK_ERROR')))).toBe(2);
    expect(exitCodeFor(new TypeError('x'))).toBe(1);
    expect(exitCodeFor('a string')).toBe(1);
  });
});

describe('useColor', () => {
  it('colours a TTY, not a pipe; NO_COLOR and TERM=dumb turn it off; FORCE_COLOR turns it on', () => {
    expect(useColor({ write: () => 0, isTTY: true }, {})).toBe(true);
    expect(useColor({ write: () => 0 }, {})).toBe(false);
    expect(useColor({ write: () => 0, isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ write: () => 0, isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(useColor({ write: () => 0 }, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColor({ write: () => 0 }, { FORCE_COLOR: '0' })).toBe(false);
  });
});
