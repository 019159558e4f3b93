import type { DiscoveryTrace, HttpAttempt } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { cleanText, escapeXml, renderTraceSvg } from '../src/index.js';
import { truncateEnd, truncateMiddle } from '../src/text.js';
import { allNodes, allText, parseSvg } from './parse-svg.js';

const EVIL =
  '\u001b[31m\u001b]8;;https://evil.example\u0007<script>alert(1)</script>"&\']]>\u0000\u0008\u009b2J\u202e\ud800';
const evilUrl = `https://mcp.example/${EVIL}`;

function attempt(extra: Partial<HttpAttempt> = {}): HttpAttempt {
  return { method: 'GET', url: evilUrl, status: 404, durationMs: 12, outcome: 'http-error', ...extra };
}

const hostile: DiscoveryTrace = {
  resource: `https://mcp.example/mcp${EVIL}`,
  steps: [
    {
      strategy: `rfc9728${EVIL}`,
      outcome: 'not-found',
      reason: `no PRM: ${EVIL}`,
      notes: [`issuer ${EVIL} adopted`],
      attempts: [
        attempt(),
        {
          method: 'GET',
          url: evilUrl,
          durationMs: 12,
          outcome: 'error',
          error: { code: 'NETWORK_ERROR', message: EVIL },
        },
      ],
      durationMs: 30,
    },
    {
      strategy: 'rfc8414',
      outcome: 'found',
      notes: [],
      attempts: [attempt({ status: 200, outcome: 'ok', redirects: [evilUrl] })],
      durationMs: 10,
    },
  ],
  unusedSpeculation: [attempt({ speculative: true, outcome: 'aborted' })],
  requestCount: 4,
  durationMs: 45,
  startedAt: '2026-12-01T00:00:00.000Z',
  relaxations: [`allowPrivateNetwork ${EVIL}`],
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
const RAW_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202e]/;

describe('a hostile trace renders inert', () => {
  const svg = renderTraceSvg(hostile, { error: { code: 'DISCOVERY_FAILED', message: EVIL } });

  it('is well-formed XML without a script element, raw control characters or lone surrogates', () => {
    const root = parseSvg(svg);
    const names = new Set(allNodes(root).map((n) => n.name.toLowerCase()));
    expect(names.has('script')).toBe(false);
    expect(names.has('foreignobject')).toBe(false);
    expect(svg).not.toMatch(/<script/i);
    expect(svg).not.toMatch(RAW_CONTROLS);
    expect(svg).not.toContain(']]>');
    expect(svg).not.toMatch(/[\ud800-\udfff]/);
    // No attribute can load anything or run anything.
    for (const node of allNodes(root)) {
      for (const key of Object.keys(node.attributes)) {
        expect(key).not.toMatch(/^on|href$/i);
      }
    }
  });

  it('keeps the text readable: the angle brackets and quotes are shown as text', () => {
    const root = parseSvg(svg);
    const rows = allNodes(root).filter((n) => n.attributes.class?.startsWith('attempt'));
    expect(rows).toHaveLength(4);
    expect(rows[0]?.attributes['data-url']).toBe('https://mcp.example/<script>alert(1)</script>"&\']]>');
    expect(allText(root)).toContain('<script>alert(1)</script>');
    // A failed discovery rests on nothing: no request is highlighted.
    expect(rows.map((r) => r.attributes['data-role'])).toEqual(['used', 'used', 'used', 'unused']);
  });
});

describe('text cleaning', () => {
  it.each([
    ['\u001b[1;31mred\u001b[0m', 'red'],
    ['a\u001b]0;title\u0007b', 'ab'],
    ['line\r\nbreak\ttab', 'line break tab'],
    ['nul\u0000 del\u007f c1\u0085', 'nul del c1'],
    ['rtl\u202eoverride\u2066', 'rtloverride'],
    ['lone\ud800 pair\ud83d\ude00', 'lone pair\ud83d\ude00'],
  ])('cleans %j', (input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it('shortens after cleaning, so an escape sequence is never cut in half', () => {
    expect(truncateEnd(`\u001b[31m${'a'.repeat(20)}`, 10)).toBe(`${'a'.repeat(9)}…`);
    expect(truncateMiddle(`\u001b[31mhead${'x'.repeat(20)}tail`, 11)).toBe('headxx…tail');
  });

  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a b="c" d='e'>&</a>`)).toBe(
      '&lt;a b=&quot;c&quot; d=&apos;e&apos;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('a trace from before startMs', () => {
  it('lays the attempts end to end within their steps, marked estimated', () => {
    const root = parseSvg(renderTraceSvg(hostile));
    const rows = allNodes(root).filter((n) => n.attributes.class?.startsWith('attempt'));
    expect(rows.map((r) => Number(r.attributes['data-start-ms']))).toEqual([0, 12, 30, 0]);
    expect(allText(rows[0] ?? root)).toContain('(estimated)');
    const ticks = (svg: string) => [...svg.matchAll(/>(\d+) ms<\/text><\/g>/g)].map((m) => Number(m[1]));
    expect(Math.max(...ticks(renderTraceSvg(hostile)))).toBe(50);
    expect(Math.max(...ticks(renderTraceSvg(hostile, { timeAxisMs: 400 })))).toBe(400);
    expect(rows.map((r) => r.attributes['data-role'])).toEqual(['used', 'used', 'committed', 'unused']);
  });
});
