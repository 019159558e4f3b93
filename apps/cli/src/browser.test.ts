import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { browserCommand } from './browser.js';

// Finding 3 of the security review: the authorization URL comes from server-controlled metadata and
// reached `cmd /c start` with only `&` escaped (the class of CVE-2025-6514).

const HOSTILE =
  'https://as.example/authorize?x=a|calc.exe&y=%PATH%&z=^!(whoami)&w="q"&v=\'s\'&u=1%0acalc&client_id=c';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof DiscoveryError ? error.code : 'not a DiscoveryError';
  }
  return undefined;
}

describe('browserCommand (no command interpreter on any platform)', () => {
  it.each([
    ['win32', 'rundll32', ['url.dll,FileProtocolHandler']],
    ['darwin', 'open', []],
    ['linux', 'xdg-open', []],
  ] as const)('%s: runs %s with the URL as one argument, never cmd or a shell', (platform, command, lead) => {
    const built = browserCommand(HOSTILE, platform);
    expect(built.command).toBe(command);
    expect(built.args.slice(0, -1)).toEqual(lead);
    const arg = built.args.at(-1) ?? '';
    expect(arg).toBe(new URL(HOSTILE).href);
    // The shell metacharacters pass through untouched (no interpreter reads them)…
    for (const meta of ['|', '%PATH%', '^', '!', '(', ')', '&']) expect(arg).toContain(meta);
    // …and quotes, whitespace and control characters cannot appear at all.
    expect(arg).not.toMatch(/[\s"'\p{Cc}]/u);
    expect([built.command, ...built.args].join(' ')).not.toMatch(/\bcmd\b|\/c\b|\bstart\b|powershell/i);
  });

  it('removes raw newlines and tabs (the URL is reserialised, never passed as given)', () => {
    const built = browserCommand('https://as.example/auth\norize?a=1\t&b=2\r\n', 'win32');
    expect(built.args.at(-1)).toBe('https://as.example/authorize?a=1&b=2');
  });

  it('allows http: on loopback only', () => {
    expect(browserCommand('http://127.0.0.1:8080/authorize', 'linux').args).toEqual([
      'http://127.0.0.1:8080/authorize',
    ]);
    expect(browserCommand('http://[::1]:8080/authorize', 'linux').args).toEqual([
      'http://[::1]:8080/authorize',
    ]);
  });

  it.each([
    ['http://as.example/authorize', ErrorCodes.INSECURE_URL],
    ['file:///etc/passwd', ErrorCodes.INSECURE_URL],
    ['javascript:alert(1)', ErrorCodes.INSECURE_URL],
    ['ms-settings:', ErrorCodes.INSECURE_URL],
    ['https://user:pass@as.example/authorize', ErrorCodes.INSECURE_URL],
    ['calc.exe & whoami', ErrorCodes.INVALID_URL],
    ['"https://as.example/" & calc', ErrorCodes.INVALID_URL],
    ['', ErrorCodes.INVALID_URL],
  ])('refuses %j with %s', (url, code) => {
    expect(codeOf(() => browserCommand(url, 'win32'))).toBe(code);
  });
});
