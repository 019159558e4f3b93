import { rawTerminalControls, TERMINAL_PAYLOAD } from '@oauth-discovery/testkit';
import { describe, expect, it } from 'vitest';
import { terminalText, writeLine } from './io.js';
import { painter } from './render/color.js';

// Finding 6 of the security review: every line the CLI writes passes one sanitiser; only the painter's
// own colour codes survive.

describe('terminalText / writeLine', () => {
  it("keeps the painter's colours and escapes every other control sequence", () => {
    const paint = painter(true);
    const line = `${paint('green', 'issuer')} ${TERMINAL_PAYLOAD}`;
    const written: string[] = [];
    writeLine({ write: (chunk) => written.push(chunk) }, line);
    const out = written.join('');
    expect(out.startsWith(paint('green', 'issuer'))).toBe(true);
    const withoutColours = out.replaceAll(paint('green', 'issuer'), 'issuer');
    expect(rawTerminalControls(withoutColours)).toEqual([]);
    expect(out.endsWith('\n')).toBe(true);
  });

  it('keeps line feeds with multiline only', () => {
    expect(terminalText('a\nb')).toBe('a\\u000ab');
    expect(terminalText('a\nb', { multiline: true })).toBe('a\nb');
  });
});
