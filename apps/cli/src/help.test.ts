import { describe, expect, it } from 'vitest';
import { AUTHORIZATION_CODES, ExitCodes, exitCodeFor, SECURITY_CODES } from './exit-codes.js';
import { ENVIRONMENT } from './help.js';
import type { CliIo } from './io.js';
import { run } from './run.js';

async function help(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (chunk: string) => (out += chunk) },
    stderr: { write: (chunk: string) => (err += chunk) },
    env: {},
  };
  const code = await run(argv, io);
  return { code, out, err };
}

const COMMANDS = ['discover', 'check', 'login', 'logout', 'tools', 'presets'] as const;

/** The lines under a heading of the help text, up to the next blank line. */
function section(text: string, heading: string): string[] {
  const start = text.indexOf(`\n${heading}\n`);
  if (start === -1) return [];
  const rest = text.slice(start + heading.length + 2);
  return rest.slice(0, rest.indexOf('\n\n') === -1 ? undefined : rest.indexOf('\n\n')).split('\n');
}

describe('help of each command', () => {
  it.each(COMMANDS)(
    '%s --help: 1–3 examples of that command, no exit code table, a pointer to it',
    async (name) => {
      const { code, out } = await help([name, '--help']);
      expect(code).toBe(0);
      const examples = section(out, 'Examples:').filter((line) => line.startsWith('    oauth-discovery'));
      expect(examples.length).toBeGreaterThanOrEqual(1);
      expect(examples.length).toBeLessThanOrEqual(3);
      for (const example of examples) expect(example).toMatch(new RegExp(`^ {4}oauth-discovery ${name}\\b`));
      expect(out).not.toMatch(/^ {2}3 {2}refused/m);
      expect(out).toContain('oauth-discovery help exit-codes');
      // One block, not the old 14 lines of codes and variables on every command.
      expect(out.match(/Exit codes/g)).toHaveLength(1);
    },
  );

  it('lists only the environment variables that apply', async () => {
    const variables = async (name: string) =>
      section((await help([name, '--help'])).out, 'Environment:').map(
        (line) => line.trim().split(/ {2,}/)[0],
      );
    expect(await variables('logout')).toEqual(['OAUTH_DISCOVERY_HOME']);
    expect(await variables('check')).toEqual(['NO_COLOR / FORCE_COLOR']);
    expect(await variables('discover')).not.toContain('OAUTH_DISCOVERY_CLIENT_SECRET');
    for (const name of ['login', 'tools']) {
      expect(await variables(name)).toEqual(
        expect.arrayContaining(['OAUTH_DISCOVERY_CLIENT_SECRET', 'OAUTH_DISCOVERY_PRIVATE_KEY']),
      );
    }
  });

  it('login and tools: --callback-port says 8976 and why; --no-interactive and --interactive are there', async () => {
    for (const name of ['login', 'tools']) {
      const { out } = await help([name, '--help']);
      const port = out.slice(out.indexOf('--callback-port'), out.indexOf('--interactive'));
      expect(port).toContain('default 8976');
      expect(port).not.toMatch(/default: a free one/);
      expect(out).toContain('--no-interactive');
      expect(out).toMatch(/LOGIN_REQUIRED\s+\(exit 4\)/);
    }
    expect((await help(['logout', '--help'])).out).not.toContain('--no-interactive');
  });

  it('help <command> is <command> --help', async () => {
    expect((await help(['help', 'tools'])).out).toBe((await help(['tools', '--help'])).out);
  });
});

describe('help topics', () => {
  it('help exit-codes: every exit code, with the error codes of 3 and 4 as the CLI maps them', async () => {
    const { code, out } = await help(['help', 'exit-codes']);
    expect(code).toBe(0);
    for (const exit of Object.values(ExitCodes)) expect(out).toMatch(new RegExp(`^ {2}${exit} {2}\\S`, 'm'));
    const line = (exit: number) => out.split('\n').find((l) => l.startsWith(`  ${exit}  `)) ?? '';
    for (const error of SECURITY_CODES) {
      expect(line(3)).toContain(error);
      expect(exitCodeFor(Object.assign(new Error(error), { name: 'DiscoveryError', code: error }))).toBe(3);
    }
    for (const error of AUTHORIZATION_CODES) expect(line(4)).toContain(error);
  });

  it('help environment: every variable', async () => {
    const { code, out } = await help(['help', 'environment']);
    expect(code).toBe(0);
    for (const name of Object.keys(ENVIRONMENT)) expect(out).toContain(name);
  });

  it('an unknown topic is a usage error (exit 2)', async () => {
    const { code, err, out } = await help(['help', 'nope']);
    expect(code).toBe(2);
    expect(err).toContain('error USAGE: no help on "nope"');
    expect(out).toBe('');
  });
});
