import { type DiscoveryResult, type IssuerCheck, safeText as safe } from '@oauth-discovery/core';
import type { Paint } from './color.js';
import { formatTraceText } from './trace-text.js';

const ISSUER_CHECK: Record<IssuerCheck, string> = {
  exact: 'exact — the metadata names the issuer its URL was built from (RFC 8414 §3.3)',
  alias:
    'alias — a preset or the static config accepts this issuer in place of the expected one (traced exception to RFC 8414 §3.3)',
  adopted:
    'adopted — no issuer was expected (no PRM, legacy origin fallback of MCP 2025-03-26), so the issuer the document names was taken',
  configured: 'configured — metadata from the static configuration, no request',
  guessed: 'guessed — no metadata anywhere, MCP 2025-03-26 default endpoints',
};

function row(paint: Paint, label: string, value: string): string {
  return `  ${paint('bold', label.padEnd(22))} ${value}`;
}

function hintList(result: DiscoveryResult): string[] {
  const { notes, ...flags } = result.hints;
  const set = Object.entries(flags)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([key, value]) => (value === true ? key : `${key}=${hintValue(value)}`));
  return [...(set.length > 0 ? [set.join(', ')] : []), ...(notes ?? [])].map((hint) => safe(hint));
}

/** A hint's value for people: strings as they are, lists of strings spaced, objects as JSON (preset data). */
function hintValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(' ');
  return JSON.stringify(value);
}

/** The summary block printed under the trace by `discover`: the authorization server, how it was accepted, and what a client needs. */
export function formatDiscoverySummary(result: DiscoveryResult, paint: Paint): string {
  const server = result.authorizationServer;
  const metadata = server.metadata;
  const registration =
    (metadata.registration_endpoint === undefined ? undefined : safe(metadata.registration_endpoint)) ??
    (metadata.client_id_metadata_document_supported === true
      ? 'none (client ID metadata documents supported)'
      : paint('yellow', 'none — a pre-registered client id is needed (--client-id)'));
  const pkce = result.guessed
    ? paint('yellow', 'guessed — nothing advertised; MCP 2025-03-26 makes S256 mandatory')
    : result.pkce.s256Advertised
      ? paint('green', 'S256 advertised')
      : result.pkce.s256Usable
        ? paint('yellow', 'S256 not advertised, known supported (hint)')
        : paint('red', 'S256 not advertised — the MCP spec makes clients refuse');
  const hints = hintList(result);
  const guessMark = result.guessed ? paint('yellow', ' (guessed)') : '';
  const lines = [
    paint('bold', 'Result'),
    row(paint, 'resource', safe(result.resource)),
    row(
      paint,
      'issuer',
      result.guessed
        ? paint('yellow', `${safe(server.issuer)} (guessed)`)
        : paint('green', safe(server.issuer)),
    ),
    row(paint, 'issuer check', `${ISSUER_CHECK[server.issuerCheck]}; found by ${safe(server.source)}`),
    row(paint, 'metadata URL', safe(server.metadataUrl ?? '(none)')),
    row(paint, 'authorization endpoint', `${safe(metadata.authorization_endpoint ?? '(none)')}${guessMark}`),
    row(paint, 'token endpoint', `${safe(metadata.token_endpoint ?? '(none)')}${guessMark}`),
    row(paint, 'registration', registration),
    row(paint, 'PKCE', pkce),
    row(
      paint,
      'resource metadata',
      result.resourceMetadata === null
        ? paint('yellow', 'none (no RFC 9728 document)')
        : safe(result.resourceMetadata.url),
    ),
    row(
      paint,
      'scopes',
      result.scopes === undefined ? '(none: the scope parameter is omitted)' : safe(result.scopes.join(' ')),
    ),
    row(paint, 'guessed', result.guessed ? paint('yellow', 'yes') : 'no'),
  ];
  if (hints.length > 0) {
    lines.push(row(paint, 'hints', hints[0] ?? ''));
    for (const hint of hints.slice(1)) lines.push(`  ${''.padEnd(22)} ${hint}`);
  }
  return lines.join('\n');
}

/** The first line of `discover`: what was found, how it was accepted, and what it took. */
export function formatDiscoveryHeadline(result: DiscoveryResult, paint: Paint): string {
  const server = result.authorizationServer;
  const { requestCount, durationMs } = result.trace;
  const cost = result.fromCache
    ? 'from cache'
    : `${requestCount} request${requestCount === 1 ? '' : 's'}, ${durationMs} ms`;
  const what = result.guessed
    ? paint('yellow', 'Guessed authorization server')
    : paint('green', 'Authorization server');
  return `${what} ${safe(server.issuer)} for ${safe(result.resource)} (issuer ${server.issuerCheck}, found by ${safe(server.source)}; ${cost})`;
}

/**
 * Everything `discover` prints on stdout for people: what was found on the first line, the trace
 * table (idle presets folded unless `verbose`), then the summary.
 */
export function formatDiscovery(
  result: DiscoveryResult,
  paint: Paint,
  options: { readonly color: boolean; readonly verbose?: boolean | undefined },
): string {
  const cached = result.fromCache
    ? `\n${paint('dim', '(from cache: the trace is the original discovery)')}`
    : '';
  const trace = formatTraceText(result.trace, {
    color: options.color,
    verbose: options.verbose === true,
    paint,
  });
  return `${formatDiscoveryHeadline(result, paint)}\n\n${trace}${cached}\n\n${formatDiscoverySummary(result, paint)}`;
}
