import { cleanText, escapeXml } from '@oauth-discovery/trace-svg';

/** What the chart reads of one contender (`bench/results.json`). */
interface ChartContender {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly correct: boolean;
}

/**
 * What the chart reads of one world at one latency. `oursSpeculative` and `oursSequential` come and go
 * between versions of the results: each is drawn when present.
 */
interface ChartWorld {
  readonly name: string;
  readonly latencyMs: number;
  readonly chain: number;
  readonly idealMs: number;
  readonly runs: number;
  readonly sdk: ChartContender;
  readonly ours: ChartContender;
  readonly oursSpeculative?: ChartContender;
  readonly oursSequential?: ChartContender;
}

/** What the chart reads of `bench/results.json`. */
export interface ChartInput {
  readonly date: string;
  readonly mode: string;
  readonly machine: { readonly cpu: string; readonly cores: number; readonly node: string };
  readonly worlds: readonly ChartWorld[];
}

const SERIES = [
  { key: 'sdk', label: 'MCP TypeScript SDK', color: '#9e9e9e' },
  { key: 'ours', label: 'oauth-discovery (default)', color: '#1565c0' },
  { key: 'oursSpeculative', label: 'oauth-discovery, speculative', color: '#2e7d32' },
  { key: 'oursSequential', label: 'oauth-discovery, sequential', color: '#90caf9' },
] as const;
type SeriesKey = (typeof SERIES)[number]['key'];

const LIMIT_COLOR = '#c62828';
const PANEL = { width: 580, height: 240, columns: 2, gap: 20, top: 84, left: 20 } as const;
const PLOT = { left: 56, right: 16, top: 34, bottom: 40 } as const;
const BAR = { width: 30, gap: 6 } as const;

const text = (value: string): string => escapeXml(cleanText(value));
const num = (value: number): string => String(Math.round(value * 10) / 10);

function el(
  name: string,
  attributes: Readonly<Record<string, string | number | undefined>>,
  body = '',
): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${typeof value === 'number' ? num(value) : text(value)}"`)
    .join('');
  return body === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${body}</${name}>`;
}

/** A round tick step (1, 2 or 5 × 10^n) giving at most five steps up to `value`. */
function tickStep(value: number): number {
  const raw = Math.max(value, 1) / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5]) if (factor * power >= raw) return factor * power;
  return 10 * power;
}

function seriesOf(worlds: readonly ChartWorld[]): (typeof SERIES)[number][] {
  return SERIES.filter((series) => worlds.some((world) => world[series.key as SeriesKey] !== undefined));
}

function panel(
  name: string,
  rows: readonly ChartWorld[],
  series: readonly (typeof SERIES)[number][],
  x0: number,
  y0: number,
): string {
  const plotWidth = PANEL.width - PLOT.left - PLOT.right;
  const plotHeight = PANEL.height - PLOT.top - PLOT.bottom;
  const top = Math.max(
    ...rows.flatMap((w) => [w.idealMs, ...series.map((s) => w[s.key as SeriesKey]?.maxMs ?? 0)]),
  );
  const step = tickStep(top * 1.1);
  const max = Math.ceil((top * 1.1) / step) * step;
  const y = (ms: number): number => y0 + PLOT.top + plotHeight - (Math.min(ms, max) / max) * plotHeight;
  const parts: string[] = [
    el('rect', {
      x: x0,
      y: y0,
      width: PANEL.width,
      height: PANEL.height,
      fill: '#ffffff',
      stroke: '#e5e7eb',
    }),
    el('text', { x: x0 + 12, y: y0 + 20, 'font-weight': 'bold', 'font-size': 14 }, text(name)),
  ];
  for (let ms = 0; ms <= max + step / 2; ms += step) {
    parts.push(
      el('line', {
        x1: x0 + PLOT.left,
        x2: x0 + PLOT.left + plotWidth,
        y1: y(ms),
        y2: y(ms),
        stroke: '#eeeeee',
      }),
      el(
        'text',
        { x: x0 + PLOT.left - 6, y: y(ms) + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#6b7280' },
        text(`${num(ms)} ms`),
      ),
    );
  }
  const groupWidth = series.length * (BAR.width + BAR.gap) - BAR.gap;
  // Each latency gets an equal slot of the plot, its bars centred in it.
  const slot = plotWidth / Math.max(rows.length, 1);
  for (const [index, world] of rows.entries()) {
    const gx = x0 + PLOT.left + slot * index + (slot - groupWidth) / 2;
    const group: string[] = [];
    series.forEach((s, i) => {
      const result = world[s.key as SeriesKey];
      if (result === undefined) return;
      const bx = gx + i * (BAR.width + BAR.gap);
      const label = `${s.label}: median ${num(result.medianMs)} ms (min ${num(result.minMs)}, max ${num(result.maxMs)}) at ${world.latencyMs} ms latency${result.correct ? '' : ' — WRONG ANSWER'}`;
      group.push(
        el(
          'g',
          {
            class: 'bar',
            'data-world': world.name,
            'data-latency-ms': world.latencyMs,
            'data-series': s.key,
            'data-median-ms': result.medianMs,
          },
          el('title', {}, text(label)) +
            el('rect', {
              x: bx,
              y: y(result.medianMs),
              width: BAR.width,
              height: Math.max(y(0) - y(result.medianMs), 1),
              fill: s.color,
              stroke: result.correct ? undefined : LIMIT_COLOR,
              'stroke-width': result.correct ? undefined : 2,
            }) +
            el('line', {
              x1: bx + BAR.width / 2,
              x2: bx + BAR.width / 2,
              y1: y(result.minMs),
              y2: y(result.maxMs),
              stroke: '#374151',
            }) +
            el(
              'text',
              {
                x: bx + BAR.width / 2,
                y: y(result.maxMs) - 4,
                'text-anchor': 'middle',
                'font-size': 10,
                fill: '#374151',
              },
              text(num(result.medianMs)),
            ),
        ),
      );
    });
    const limit = y(world.idealMs);
    group.push(
      el(
        'g',
        {
          class: 'limit',
          'data-world': world.name,
          'data-latency-ms': world.latencyMs,
          'data-ideal-ms': world.idealMs,
        },
        el(
          'title',
          {},
          text(
            `dependent-chain limit: ${world.chain} round trips × ${world.latencyMs} ms = ${world.idealMs} ms`,
          ),
        ) +
          el('line', {
            x1: gx - 6,
            x2: gx + groupWidth + 6,
            y1: limit,
            y2: limit,
            stroke: LIMIT_COLOR,
            'stroke-width': 2,
            'stroke-dasharray': '5 3',
          }),
      ),
      el(
        'text',
        {
          x: gx + groupWidth / 2,
          y: y0 + PANEL.height - PLOT.bottom + 16,
          'text-anchor': 'middle',
          'font-size': 11,
        },
        text(`${world.latencyMs} ms latency`),
      ),
      el(
        'text',
        {
          x: gx + groupWidth / 2,
          y: y0 + PANEL.height - PLOT.bottom + 30,
          'text-anchor': 'middle',
          'font-size': 10,
          fill: LIMIT_COLOR,
        },
        text(`limit ${world.chain} × ${world.latencyMs} = ${world.idealMs} ms`),
      ),
    );
    parts.push(group.join(''));
  }
  return el('g', { class: 'world', 'data-world': name }, parts.join(''));
}

/**
 * The benchmark as a picture (`bench/results.svg`): per world, the median discovery time of the SDK
 * and of our pipeline's modes at each latency (bars, min–max whiskers), and the dependent-chain limit
 * (round trips that depend on each other × latency) as a dashed line no client can beat.
 */
export function renderBenchChart(results: ChartInput): string {
  const names = [...new Set(results.worlds.map((w) => w.name))];
  const series = seriesOf(results.worlds);
  const rowsNeeded = Math.ceil(names.length / PANEL.columns);
  const width = PANEL.left * 2 + PANEL.columns * PANEL.width + (PANEL.columns - 1) * PANEL.gap;
  const height = PANEL.top + rowsNeeded * (PANEL.height + PANEL.gap) + 10;
  const panels = names.map((name, i) => {
    const x = PANEL.left + (i % PANEL.columns) * (PANEL.width + PANEL.gap);
    const y = PANEL.top + Math.floor(i / PANEL.columns) * (PANEL.height + PANEL.gap);
    const rows = results.worlds.filter((w) => w.name === name).sort((a, b) => a.latencyMs - b.latencyMs);
    return panel(name, rows, series, x, y);
  });
  let lx = PANEL.left;
  const legend = series.map((s) => {
    const item =
      el('rect', { x: lx, y: 50, width: 14, height: 10, fill: s.color }) +
      el('text', { x: lx + 20, y: 59, 'font-size': 12 }, text(s.label));
    lx += 40 + s.label.length * 7;
    return item;
  });
  legend.push(
    el('line', {
      x1: lx,
      x2: lx + 22,
      y1: 55,
      y2: 55,
      stroke: LIMIT_COLOR,
      'stroke-width': 2,
      'stroke-dasharray': '5 3',
    }) +
      el(
        'text',
        { x: lx + 28, y: 59, 'font-size': 12 },
        text('dependent-chain limit (no client can be faster)'),
      ),
  );
  const runs = Math.max(...results.worlds.map((w) => w.runs), 0);
  const title = `Discovery time, median of ${runs} runs per world and latency (lower is better)`;
  const subtitle = `${results.mode} run of ${results.date} · ${results.machine.cpu}, ${results.machine.cores} cores, Node ${results.machine.node}`;
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'font-family': 'DejaVu Sans, Helvetica, Arial, sans-serif',
      fill: '#1f2937',
    },
    el('title', {}, text(title)) +
      el('rect', { x: 0, y: 0, width, height, fill: '#fafafa' }) +
      el('text', { x: PANEL.left, y: 24, 'font-size': 16, 'font-weight': 'bold' }, text(title)) +
      el('text', { x: PANEL.left, y: 42, 'font-size': 11, fill: '#6b7280' }, text(subtitle)) +
      legend.join('') +
      panels.join(''),
  );
}
