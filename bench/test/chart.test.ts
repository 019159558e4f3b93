import { readFile } from 'node:fs/promises';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { type ChartInput, renderBenchChart } from '../src/chart.js';

const committed = JSON.parse(
  await readFile(new URL('../results.json', import.meta.url), 'utf8'),
) as ChartInput;

/** `[world, latency, series]` of every bar, in order. */
function bars(svg: string): string[][] {
  return [
    ...svg.matchAll(/<g class="bar" data-world="([^"]*)" data-latency-ms="(\d+)" data-series="(\w+)"/g),
  ].map((m) => [m[1] ?? '', m[2] ?? '', m[3] ?? '']);
}

describe('bench/results.svg', () => {
  it('draws every world at every latency: a bar per contender and the dependent-chain limit', () => {
    const svg = renderBenchChart(committed);
    expect(XMLValidator.validate(svg)).toBe(true);
    const expected = committed.worlds.flatMap((w) =>
      ['sdk', 'ours', 'oursSpeculative', 'oursSequential']
        .filter((key) => (w as unknown as Record<string, unknown>)[key] !== undefined)
        .map((key) => [String(w.name), String(w.latencyMs), key]),
    );
    expect(new Set(bars(svg).map((b) => b.join(' ')))).toEqual(new Set(expected.map((b) => b.join(' '))));
    const limits = [
      ...svg.matchAll(
        /<g class="limit" data-world="([^"]*)" data-latency-ms="(\d+)" data-ideal-ms="([\d.]+)"/g,
      ),
    ];
    expect(limits.map((m) => `${m[1]} ${m[2]} ${m[3]}`).sort()).toEqual(
      committed.worlds.map((w) => `${w.name} ${w.latencyMs} ${w.idealMs}`).sort(),
    );
  });

  it('reads oursSpeculative when present, and an older file’s oursSequential in its place', () => {
    const withSpeculative = committed.worlds.map((world) => {
      const { oursSequential: _old, ...rest } = world as typeof world & { oursSequential?: unknown };
      return { ...rest, oursSpeculative: world.oursSpeculative ?? world.ours };
    });
    const svg = renderBenchChart({ ...committed, worlds: withSpeculative } as ChartInput);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(new Set(bars(svg).map((b) => b[2]))).toEqual(new Set(['sdk', 'ours', 'oursSpeculative']));
    expect(svg).toContain('oauth-discovery, speculative');
    expect(svg).not.toContain('oauth-discovery, sequential');

    const older = withSpeculative.map(({ oursSpeculative, ...rest }) => ({
      ...rest,
      oursSequential: oursSpeculative,
    }));
    const oldSvg = renderBenchChart({ ...committed, worlds: older } as ChartInput);
    expect(new Set(bars(oldSvg).map((b) => b[2]))).toEqual(new Set(['sdk', 'ours', 'oursSequential']));
    expect(oldSvg).toContain('oauth-discovery, sequential');
    expect(oldSvg).not.toContain('oauth-discovery, speculative');
  });
});
