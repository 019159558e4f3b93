import type { ServerResponse } from 'node:http';
import type { DiscoveryTrace } from '@oauth-discovery/core';
import { cleanText, escapeXml as escapeMarkup, renderTraceSvg } from '@oauth-discovery/trace-svg';
import type { UpstreamStatus } from './upstream-status.js';

/** One upstream as the waterfall page shows it: its status and its last discovery's trace. */
export interface UpstreamWaterfall {
  readonly status: UpstreamStatus;
  /** The trace of the failed discovery, else of the last successful one; absent when none ran. */
  readonly trace?: DiscoveryTrace | undefined;
}

/**
 * No script, no resource from anywhere: the page is inline SVG and one inline style sheet. Server
 * text in it is escaped; the policy makes sure nothing active could run even if it were not.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#1f2937;background:#fafafa}
section{margin:0 0 32px}h2{font-size:18px;margin:0 0 4px}p{margin:0 0 8px;color:#4b5563}
.state{font-weight:600}.failed{color:#c62828}.connected{color:#2e7d32}
svg{max-width:100%;height:auto;border:1px solid #e5e7eb;background:#fff}nav a{margin-right:12px}`;

/** Server text as HTML text: control characters and escape sequences removed, markup escaped. */
const escapeXml = (text: string): string => escapeMarkup(cleanText(text));

/** An `id` for the upstream's section: its name with anything but `[A-Za-z0-9_-]` replaced. */
function anchor(name: string): string {
  return `upstream-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function section(upstream: UpstreamWaterfall): string {
  const { status, trace } = upstream;
  const facts = [
    `<span class="state ${escapeXml(status.state)}">${escapeXml(status.state)}</span>`,
    `auth ${escapeXml(status.auth)}`,
    ...(status.issuer === undefined ? [] : [`issuer ${escapeXml(status.issuer)}`]),
    ...(status.error === undefined
      ? []
      : [`${escapeXml(status.error.code)}: ${escapeXml(status.error.message)}`]),
  ];
  const picture =
    trace === undefined
      ? `<p>No discovery trace: ${status.auth === 'oauth' ? 'discovery has not run yet' : 'this upstream does not use OAuth'}.</p>`
      : renderTraceSvg(trace, {
          title: `${status.name}: discovery of ${trace.resource}`,
          // The error belongs to the picture only when it is the discovery's own (the trace came with it).
          error: status.trace === undefined ? undefined : status.error,
        });
  return `<section id="${anchor(status.name)}"><h2>${escapeXml(status.name)}</h2><p>${escapeXml(status.url)}</p><p>${facts.join(' · ')}</p>${picture}</section>`;
}

/**
 * The status page of the upstreams' discoveries: for each upstream its state and the waterfall of
 * its last discovery (every request on one time axis, see `@oauth-discovery/trace-svg`), a failed
 * one with its error.
 */
export function statusWaterfallPage(upstreams: readonly UpstreamWaterfall[]): string {
  const nav = upstreams
    .map((u) => `<a href="#${anchor(u.status.name)}">${escapeXml(u.status.name)}</a>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Upstream discovery</title><style>${STYLE}</style></head>
<body><h1>Upstream discovery</h1><nav>${nav}</nav>
${upstreams.map(section).join('\n')}
</body></html>
`;
}

/** Answers `GET /status/waterfall` with {@link statusWaterfallPage}. */
export function sendStatusWaterfall(res: ServerResponse, upstreams: readonly UpstreamWaterfall[]): void {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
  });
  res.end(statusWaterfallPage(upstreams));
}
