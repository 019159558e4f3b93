import type { AttemptRow, GroupRow, NoteRow, Row, WaterfallLayout } from './layout.js';
import { GEOMETRY } from './layout.js';
import { truncateEnd, truncateMiddle, xmlText } from './text.js';

/** SVG markup built by this module; plain strings only enter it through {@link text}. */
export type Markup = string & { readonly __markup: true };

type AttributeValue = string | number | undefined;

const format = (value: string | number): string =>
  typeof value === 'number' ? String(Math.round(value * 10) / 10) : value;

/** Escaped text content. */
export function text(value: string): Markup {
  return xmlText(value) as Markup;
}

/** One element; attribute names are ours, attribute values are escaped, `undefined` ones left out. */
export function el(
  name: string,
  attributes: Readonly<Record<string, AttributeValue>>,
  ...children: readonly Markup[]
): Markup {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlText(format(value))}"`)
    .join('');
  return (
    children.length === 0 ? `<${name}${attrs}/>` : `<${name}${attrs}>${children.join('')}</${name}>`
  ) as Markup;
}

export const COLORS = {
  ok: '#2e7d32',
  'http-error': '#e65100',
  error: '#c62828',
  aborted: '#9e9e9e',
  text: '#1f2937',
  dim: '#6b7280',
  grid: '#e5e7eb',
  group: '#f3f4f6',
  committedFill: '#fff3c4',
  committedStroke: '#d49b00',
  decision: '#1565c0',
  relaxation: '#b45309',
} as const;

const STEP_OUTCOME_COLOR = {
  found: COLORS.ok,
  'not-found': COLORS.dim,
  skipped: COLORS.dim,
  failed: COLORS.error,
  unused: COLORS.dim,
} as const;

const NOTE_STYLE = {
  decision: { prefix: '◆ ', color: COLORS.decision },
  note: { prefix: '↳ ', color: COLORS.dim },
  relaxation: { prefix: '⚠ ', color: COLORS.relaxation },
  error: { prefix: '✖ ', color: COLORS.error },
} as const;

const COLUMNS = { method: 20, status: 62, outcome: 114, flags: 198, url: 288 } as const;
const URL_CHARS = 68;
const LINE_CHARS = 160;
const BASELINE = 14;
const FULL_TEXT = 2000;

function flagsOf(row: AttemptRow): string {
  const flags: string[] = [];
  if (row.role === 'committed') flags.push('COMMIT');
  if (row.attempt.speculative === true) flags.push(row.role === 'unused' ? 'unused' : 'spec');
  if (row.attempt.cached === true) flags.push('cached');
  return flags.join(' ');
}

function tooltip(row: AttemptRow): string {
  const { attempt } = row;
  const lines = [`${attempt.method} ${attempt.url}`];
  lines.push(
    `${attempt.status ?? 'no response'} ${attempt.outcome}, ${attempt.durationMs} ms from ${row.startMs} ms${row.estimated ? ' (estimated)' : ''}`,
  );
  if (attempt.error !== undefined) lines.push(`${attempt.error.code}: ${attempt.error.message}`);
  for (const redirect of attempt.redirects ?? []) lines.push(`redirected to ${redirect}`);
  return truncateEnd(lines.join('\n'), FULL_TEXT);
}

function attemptRow(row: AttemptRow, layout: WaterfallLayout): Markup {
  const { attempt } = row;
  const color = COLORS[attempt.outcome];
  const baseline = row.y + BASELINE;
  const x0 = layout.x(row.startMs);
  const x1 = Math.max(layout.x(row.endMs), x0 + 2);
  const label = `${Math.round(attempt.durationMs)} ms`;
  const labelAfter = x1 + 6 + label.length * 6 <= GEOMETRY.chartRight + 14;
  const committed = row.role === 'committed';
  return el(
    'g',
    {
      class: `attempt ${row.role}`,
      'data-index': row.index,
      'data-method': attempt.method,
      'data-url': attempt.url,
      'data-status': attempt.status ?? '',
      'data-outcome': attempt.outcome,
      'data-role': row.role,
      'data-speculative': attempt.speculative === true ? 'true' : 'false',
      'data-strategy': row.strategy,
      'data-start-ms': row.startMs,
      'data-duration-ms': attempt.durationMs,
      opacity: row.role === 'unused' ? 0.6 : undefined,
    },
    el('title', {}, text(tooltip(row))),
    committed
      ? el('rect', {
          x: GEOMETRY.margin - 4,
          y: row.y + 1,
          width: GEOMETRY.width - 2 * GEOMETRY.margin + 8,
          height: GEOMETRY.rowHeight - 2,
          rx: 3,
          fill: COLORS.committedFill,
          stroke: COLORS.committedStroke,
        })
      : ('' as Markup),
    el('text', { x: COLUMNS.method, y: baseline, 'font-weight': 'bold' }, text(attempt.method)),
    el('text', { x: COLUMNS.status, y: baseline, fill: color }, text(String(attempt.status ?? '—'))),
    el('text', { x: COLUMNS.outcome, y: baseline, fill: color }, text(attempt.outcome)),
    el(
      'text',
      {
        x: COLUMNS.flags,
        y: baseline,
        fill: committed ? COLORS.committedStroke : COLORS.dim,
        'font-weight': committed ? 'bold' : undefined,
      },
      text(flagsOf(row)),
    ),
    el(
      'text',
      { x: COLUMNS.url, y: baseline, 'font-weight': committed ? 'bold' : undefined },
      text(truncateMiddle(attempt.url, URL_CHARS)),
    ),
    el('rect', {
      x: x0,
      y: row.y + 5,
      width: x1 - x0,
      height: 10,
      rx: 2,
      fill: color,
      'fill-opacity': attempt.speculative === true ? 0.45 : 0.9,
      stroke: color,
      'stroke-dasharray': attempt.speculative === true ? '3 2' : undefined,
    }),
    el(
      'text',
      {
        x: labelAfter ? x1 + 4 : x0 - 4,
        y: baseline - 1,
        'font-size': 10,
        fill: COLORS.dim,
        'text-anchor': labelAfter ? 'start' : 'end',
      },
      text(label),
    ),
  );
}

function groupRow(row: GroupRow, layout: WaterfallLayout): Markup {
  const baseline = row.y + BASELINE;
  const heading = `${row.label} — ${row.outcome}`;
  const reason = row.reason === undefined ? '' : `: ${row.reason}`;
  const bar =
    row.startMs === undefined || row.endMs === undefined
      ? ('' as Markup)
      : el('rect', {
          x: layout.x(row.startMs),
          y: row.y + 8,
          width: Math.max(layout.x(row.endMs) - layout.x(row.startMs), 1),
          height: 4,
          fill: COLORS.dim,
          'fill-opacity': 0.5,
        });
  return el(
    'g',
    { class: 'step', 'data-strategy': row.label, 'data-outcome': row.outcome },
    el('title', {}, text(truncateEnd(`${heading}${reason}`, FULL_TEXT))),
    el('rect', {
      x: GEOMETRY.margin - 4,
      y: row.y + 1,
      width: GEOMETRY.width - 2 * GEOMETRY.margin + 8,
      height: GEOMETRY.rowHeight - 2,
      fill: COLORS.group,
    }),
    el(
      'text',
      { x: COLUMNS.method, y: baseline, fill: STEP_OUTCOME_COLOR[row.outcome] },
      el('tspan', { 'font-weight': 'bold', fill: COLORS.text }, text(row.label)),
      text(truncateEnd(` — ${row.outcome}${reason}`, Math.max(10, 104 - row.label.length))),
    ),
    bar,
  );
}

function noteRow(row: NoteRow): Markup {
  const style = NOTE_STYLE[row.tone];
  return el(
    'g',
    { class: `note ${row.tone}` },
    el('title', {}, text(truncateEnd(row.text, FULL_TEXT))),
    el(
      'text',
      {
        x: COLUMNS.status,
        y: row.y + BASELINE,
        fill: style.color,
        'font-style': row.tone === 'note' ? 'italic' : undefined,
      },
      text(truncateEnd(`${style.prefix}${row.text}`, LINE_CHARS - 8)),
    ),
  );
}

function rowMarkup(row: Row, layout: WaterfallLayout): Markup {
  if (row.kind === 'attempt') return attemptRow(row, layout);
  if (row.kind === 'group') return groupRow(row, layout);
  return noteRow(row);
}

function axis(layout: WaterfallLayout): Markup {
  const labelY = layout.rowsTop - 6;
  const columns = (['method', 'status', 'outcome', 'flags', 'url'] as const).map((name) =>
    el('text', { x: COLUMNS[name], y: labelY, fill: COLORS.dim, 'font-size': 11 }, text(name)),
  );
  const ticks = layout.ticks.map((tick) =>
    el(
      'g',
      { class: 'tick' },
      el('line', { x1: tick.x, x2: tick.x, y1: layout.rowsTop, y2: layout.rowsBottom, stroke: COLORS.grid }),
      el(
        'text',
        { x: tick.x, y: labelY, 'text-anchor': 'middle', fill: COLORS.dim, 'font-size': 10 },
        text(`${Math.round(tick.ms * 10) / 10} ms`),
      ),
    ),
  );
  return el('g', { class: 'axis' }, ...columns, ...ticks);
}

function legend(layout: WaterfallLayout): Markup {
  const y = layout.rowsBottom + 16;
  const items: Array<[string, Readonly<Record<string, AttributeValue>>]> = [
    ['ok', { fill: COLORS.ok }],
    ['http-error', { fill: COLORS['http-error'] }],
    ['error', { fill: COLORS.error }],
    ['aborted', { fill: COLORS.aborted }],
    ['speculative', { fill: COLORS.ok, 'fill-opacity': 0.45, stroke: COLORS.ok, 'stroke-dasharray': '3 2' }],
    ['committing request', { fill: COLORS.committedFill, stroke: COLORS.committedStroke }],
  ];
  let x = COLUMNS.method;
  const parts = items.map(([label, style]) => {
    const item = el(
      'g',
      {},
      el('rect', { x, y: y - 9, width: 16, height: 10, rx: 2, ...style }),
      el('text', { x: x + 22, y, fill: COLORS.dim, 'font-size': 11 }, text(label)),
    );
    x += 40 + label.length * 7;
    return item;
  });
  return el('g', { class: 'legend' }, ...parts);
}

/** What the header says. */
export interface Heading {
  readonly title: string;
  readonly subtitle: string;
  readonly failed: boolean;
}

/** Writes the laid-out waterfall as one self-contained SVG document: no script, no external reference. */
export function writeSvg(layout: WaterfallLayout, heading: Heading): string {
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width: layout.width,
      height: layout.height,
      viewBox: `0 0 ${layout.width} ${layout.height}`,
      role: 'img',
      'font-family': 'DejaVu Sans Mono, Menlo, Consolas, monospace',
      'font-size': 12,
      fill: COLORS.text,
    },
    el('title', {}, text(truncateEnd(`${heading.title} — ${heading.subtitle}`, FULL_TEXT))),
    el('rect', { x: 0, y: 0, width: layout.width, height: layout.height, fill: '#ffffff' }),
    el(
      'text',
      { x: COLUMNS.method, y: 24, 'font-size': 15, 'font-weight': 'bold' },
      text(truncateEnd(heading.title, 130)),
    ),
    el(
      'text',
      { x: COLUMNS.method, y: 44, fill: heading.failed ? COLORS.error : COLORS.dim },
      text(truncateEnd(heading.subtitle, LINE_CHARS)),
    ),
    axis(layout),
    el('g', { class: 'rows' }, ...layout.rows.map((row) => rowMarkup(row, layout))),
    legend(layout),
  );
}
