import { describe, expect, it } from 'vitest';
import { formatTrace, summarizeTrace } from '../trace/format.js';
import type { DiscoveryTrace } from '../trace/types.js';
import { hasUnsafeText, safeText } from './safe-text.js';

// Finding 6 of the security review: OSC/CSI sequences in server-controlled text reached the terminal.

const ESC = '\u001b';
/** Sets the window title, moves up a line, erases it and writes a fake verdict; then C1 CSI and RLO. */
const PAYLOAD = `${ESC}]0;pwned\u0007${ESC}[1A${ESC}[2K\r✔ issuer check exact\u009b31m\u202egnp.exe`;
const C0_C1_BIDI = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069';
const RAW_CONTROLS = new RegExp(`[\\n${C0_C1_BIDI}]`, 'u');
const RAW_CONTROLS_BUT_LF = new RegExp(`[${C0_C1_BIDI}]`, 'u');
const SGR = new RegExp(`${ESC}\\[\\d+m`, 'gu');

describe('safeText', () => {
  it('escapes ESC, BEL, CR, C1 and bidi overrides visibly, as JSON escapes', () => {
    const safe = safeText(PAYLOAD);
    expect(safe).toBe(
      '\\u001b]0;pwned\\u0007\\u001b[1A\\u001b[2K\\u000d✔ issuer check exact\\u009b31m\\u202egnp.exe',
    );
    expect(safe).not.toMatch(RAW_CONTROLS);
    expect(JSON.parse(`"${safe}"`)).toBe(PAYLOAD);
  });

  it('escapes line feeds inside one line, keeps them with multiline, always keeps tabs', () => {
    expect(safeText('a\nb\tc')).toBe('a\\u000ab\tc');
    expect(safeText('a\nb\tc', { multiline: true })).toBe('a\nb\tc');
    expect(safeText('l1\u2028l2')).toBe('l1\\u2028l2');
  });

  it('leaves ordinary text, Unicode included, alone', () => {
    const text = 'https://as.example/authorize → 404 ✔ Zürich 東京 🙂';
    expect(safeText(text)).toBe(text);
    expect(hasUnsafeText(text)).toBe(false);
    expect(hasUnsafeText(PAYLOAD)).toBe(true);
  });
});

describe('formatTrace and summarizeTrace show server text escaped, one line per value', () => {
  const trace: DiscoveryTrace = {
    resource: 'https://mcp.example/mcp',
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
    requestCount: 1,
    relaxations: [],
    unusedSpeculation: [],
    steps: [
      {
        strategy: 'rfc9728',
        outcome: 'failed',
        errorCode: 'RESOURCE_MISMATCH',
        reason: `resource ${PAYLOAD}\nfake line`,
        durationMs: 1,
        notes: [`note ${PAYLOAD}`],
        attempts: [
          {
            method: 'GET',
            url: `https://mcp.example/.well-known/oauth-protected-resource${PAYLOAD}`,
            outcome: 'error',
            durationMs: 1,
            error: { code: 'INVALID_METADATA', message: PAYLOAD },
          },
        ],
      },
    ],
  } as unknown as DiscoveryTrace;

  it.each([
    ['formatTrace', formatTrace(trace)],
    ['formatTrace (colour)', formatTrace(trace, { color: true }).replace(SGR, '')],
    ['summarizeTrace', summarizeTrace(trace)],
  ])('%s', (_name, text) => {
    expect(text).not.toMatch(RAW_CONTROLS_BUT_LF);
    expect(text).toContain('\\u001b]0;pwned\\u0007');
    expect(text).not.toMatch(/^fake line/mu);
  });
});
