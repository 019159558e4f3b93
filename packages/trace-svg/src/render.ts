import type { DiscoveryTrace } from '@oauth-discovery/core';
import { layoutTrace } from './layout.js';
import { writeSvg } from './svg-writer.js';

/** Options of {@link renderTraceSvg}. */
export interface TraceSvgOptions {
  /** URL of the metadata the discovery rested on, highlighted (default: inferred; none when `error` is set). */
  readonly committedUrl?: string | undefined;
  /** The error that ended a failed discovery: named in the header and at the end. */
  readonly error?: { readonly code: string; readonly message: string } | undefined;
  /** Replaces the heading (default `Discovery of <resource>`). */
  readonly title?: string | undefined;
  /** The time axis reaches at least this far (ms): gives several pictures one scale to compare. */
  readonly timeAxisMs?: number | undefined;
}

/**
 * Renders a discovery trace as a self-contained SVG waterfall: one row per HTTP attempt (method,
 * status, outcome, URL) with a bar from its start to its end on one time axis, grouped by strategy
 * step; speculative requests dashed, unused speculation faded, the committing request highlighted,
 * issuer decisions, relaxations and the final error as annotations. The SVG has no script and no
 * external reference; every text from the trace is stripped of control characters and XML-escaped.
 * Pure: the same trace gives the same SVG.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3 — the protected resource metadata requests it shows
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3 — the authorization server metadata requests it shows
 */
export function renderTraceSvg(trace: DiscoveryTrace, options: TraceSvgOptions = {}): string {
  const layout = layoutTrace(trace, options);
  const facts = [
    `${trace.requestCount} request${trace.requestCount === 1 ? '' : 's'} sent`,
    `${trace.durationMs} ms`,
    `started ${trace.startedAt}`,
  ];
  if (trace.unusedSpeculation.length > 0) facts.push(`${trace.unusedSpeculation.length} speculative unused`);
  if (options.error !== undefined) facts.unshift(`failed: ${options.error.code}`);
  return writeSvg(layout, {
    title: options.title ?? `Discovery of ${trace.resource}`,
    subtitle: facts.join(' · '),
    failed: options.error !== undefined,
  });
}

function isTrace(value: unknown): value is DiscoveryTrace {
  const trace = value as Partial<DiscoveryTrace> | null | undefined;
  return (
    typeof trace === 'object' &&
    trace !== null &&
    typeof trace.resource === 'string' &&
    Array.isArray(trace.steps) &&
    Array.isArray(trace.unusedSpeculation)
  );
}

/**
 * Renders what `discover()` gave: a `DiscoveryResult` (its trace, the metadata URL it rests on
 * highlighted) or a thrown `DiscoveryError` carrying a trace (a failed discovery, its code and
 * message in the picture). `undefined` when `outcome` carries no trace.
 */
export function renderDiscoverySvg(
  outcome: unknown,
  options: Pick<TraceSvgOptions, 'title' | 'timeAxisMs'> = {},
): string | undefined {
  if (typeof outcome !== 'object' || outcome === null) return undefined;
  const value = outcome as {
    readonly trace?: unknown;
    readonly code?: unknown;
    readonly message?: unknown;
    readonly authorizationServer?: { readonly metadataUrl?: unknown };
  };
  if (!isTrace(value.trace)) return undefined;
  const metadataUrl = value.authorizationServer?.metadataUrl;
  const error =
    outcome instanceof Error
      ? { code: typeof value.code === 'string' ? value.code : outcome.name, message: outcome.message }
      : undefined;
  return renderTraceSvg(value.trace, {
    committedUrl: typeof metadataUrl === 'string' ? metadataUrl : undefined,
    error,
    title: options.title,
    timeAxisMs: options.timeAxisMs,
  });
}
