import { performance } from 'node:perf_hooks';
import { type Dispatcher, request as undiciRequest } from 'undici';
import { abortedError } from '../abort.js';
import { DiscoveryError, ErrorCodes, isDiscoveryError } from '../errors.js';
import type { HttpAttempt } from '../trace/types.js';
import type { HttpClient, HttpRequestInit, HttpResponse } from '../types.js';
import { type AgentPool, assertAddressLiteralAllowed, createAgentPool } from './address-guard.js';
import { ADDRESS_RANGES, type AddressPolicy } from './address-policy.js';
import {
  decodeText,
  discardBody,
  hasCompleteEvent,
  isJsonContentType,
  mediaTypeOf,
  parseJsonBody,
  readCappedBody,
} from './body.js';
import {
  type HttpClientOptions,
  type ResolvedHttpClientOptions,
  resolveHttpClientOptions,
} from './client-options.js';
import { toDiscoveryError } from './map-error.js';
import { assertRequestUrl } from './url-policy.js';

/** The HTTP client of {@link createHttpClient}: an {@link HttpClient} that owns connections. */
export interface SafeHttpClient extends HttpClient {
  /** Closes the client's connection pools (a `dispatcher` passed in options is left open). */
  close(): Promise<void>;
  /** The options in effect, defaults filled in. */
  readonly options: ResolvedHttpClientOptions;
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS: readonly string[] = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * Creates the HTTP client discovery uses, on undici (never the global fetch), safe by default:
 * HTTPS except loopback, an SSRF guard on resolved addresses at connect time, timeouts, a body cap,
 * JSON-only 2xx bodies, few and same-origin redirects, and an {@link HttpAttempt} for every call —
 * on the response (`response.attempt`) or on the thrown {@link DiscoveryError} (`error.attempt`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-7.7
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/security_best_practices
 */
export function createHttpClient(options: HttpClientOptions = {}): SafeHttpClient {
  const resolved = resolveHttpClientOptions(options);
  const pool = createAgentPool({ connectTimeoutMs: resolved.connectTimeoutMs, lookup: resolved.lookup });
  let closed = false;
  return {
    options: resolved,
    request: (input, init = {}) => {
      if (closed) {
        return Promise.reject(
          new DiscoveryError(
            ErrorCodes.INVALID_CONFIG,
            `HTTP client is closed; cannot request ${String(input)}`,
            {
              url: String(input),
            },
          ),
        );
      }
      return performRequest(input, init, resolved, pool);
    },
    async close() {
      closed = true;
      await pool.close();
    },
  };
}

/** Everything a request produced except the attempt, plus the status for the attempt. */
type Outcome = Omit<HttpResponse, 'attempt'> & { readonly outcome: 'ok' | 'http-error' };

async function performRequest(
  input: string | URL,
  init: HttpRequestInit,
  options: ResolvedHttpClientOptions,
  pool: AgentPool,
): Promise<HttpResponse> {
  const started = performance.now();
  const method = init.method ?? 'GET';
  const requested = String(input);
  const progress: { status?: number; redirects: string[]; url: string } = { redirects: [], url: requested };
  const attempt = (outcome: HttpAttempt['outcome'], error?: DiscoveryError): HttpAttempt => ({
    method,
    url: requested,
    status: progress.status,
    durationMs: Math.round((performance.now() - started) * 100) / 100,
    outcome,
    error: error === undefined ? undefined : { code: error.code, message: error.message },
    ...(progress.redirects.length === 0 ? {} : { redirects: [...progress.redirects] }),
  });

  const controller = new AbortController();
  let timedOut = false;
  const callerSignal = init.signal;
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.requestTimeoutMs);

  try {
    if (callerSignal?.aborted) throw callerSignal.reason;
    const result = await followRedirects(init, options, pool, controller.signal, progress);
    return { ...result, attempt: attempt(result.outcome) };
  } catch (caught) {
    let error: DiscoveryError;
    if (callerSignal?.aborted) error = abortError(callerSignal.reason, progress.url);
    else if (timedOut) error = requestTimeout(progress.url, options.requestTimeoutMs, caught);
    else error = toDiscoveryError(caught, progress.url, options);
    const aborted = callerSignal?.aborted === true;
    error.attempt = attempt(aborted ? 'aborted' : 'error', error);
    throw error;
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}

async function followRedirects(
  init: HttpRequestInit,
  options: ResolvedHttpClientOptions,
  pool: AgentPool,
  signal: AbortSignal,
  progress: { status?: number; redirects: string[]; url: string },
): Promise<Outcome> {
  let url = assertRequestUrl(progress.url);
  progress.url = url.href;
  const policy: AddressPolicy = {
    allowPrivateNetwork: options.allowPrivateNetwork,
    allowRanges: [...options.allowAddressRanges, ...checkedRanges(init.allowAddressRanges, url.href)],
  };
  let method: 'GET' | 'POST' = init.method ?? 'GET';
  let body = init.body;
  let headers = requestHeaders(init, options);
  const visited = [url.href];

  for (;;) {
    assertAddressLiteralAllowed(url, policy);
    const dispatcher: Dispatcher =
      options.dispatcher ?? pool.get({ ...policy, loopbackOnly: url.protocol === 'http:' });
    const response = await undiciRequest(url, {
      dispatcher,
      method,
      headers,
      body: body ?? null,
      signal,
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
    });
    progress.status = response.statusCode;
    const responseHeaders = normalizeHeaders(response.headers);
    const location = responseHeaders.location;
    if (!REDIRECT_STATUSES.has(response.statusCode) || location === undefined) {
      return await finish(response, responseHeaders, url.href, init.expect ?? 'json', options);
    }
    discardBody(response.body);
    const next = redirectTarget(location, url);
    if (next.origin !== url.origin) {
      if (!options.allowCrossOriginRedirects) {
        throw new DiscoveryError(
          ErrorCodes.CROSS_ORIGIN_REDIRECT,
          `${url.href} redirected (${response.statusCode}) to another origin, ${next.href}; only same-origin redirects are allowed`,
          { url: url.href, expected: `a redirect within ${url.origin}`, actual: next.href },
        );
      }
      headers = Object.fromEntries(
        Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name)),
      );
    }
    if (visited.includes(next.href)) {
      throw new DiscoveryError(
        ErrorCodes.TOO_MANY_REDIRECTS,
        `Redirect loop: ${[...visited, next.href].join(' → ')}`,
        { url: url.href, expected: 'a redirect to a URL not visited yet', actual: next.href },
      );
    }
    if (progress.redirects.length >= options.maxRedirects) {
      throw new DiscoveryError(
        ErrorCodes.TOO_MANY_REDIRECTS,
        `More than ${options.maxRedirects} redirects: ${[...visited, next.href].join(' → ')}`,
        {
          url: url.href,
          expected: `at most ${options.maxRedirects} redirects`,
          actual: progress.redirects.length + 1,
        },
      );
    }
    // Fetch semantics: 303 turns any method into GET; 301/302 turn POST into GET.
    if (
      response.statusCode === 303 ||
      ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')
    ) {
      method = 'GET';
      body = undefined;
      const { 'content-type': _dropped, ...rest } = headers;
      headers = rest;
    }
    progress.redirects.push(next.href);
    visited.push(next.href);
    progress.url = next.href;
    url = next;
    delete progress.status;
  }
}

async function finish(
  response: Dispatcher.ResponseData,
  headers: Record<string, string>,
  url: string,
  expect: 'json' | 'any',
  options: ResolvedHttpClientOptions,
): Promise<Outcome> {
  const status = response.statusCode;
  const contentType = headers['content-type'];
  if (status < 200 || status > 299) {
    const { bytes } = await readCappedBody(response.body, headers['content-length'], {
      maxBytes: options.maxBodyBytes,
      url,
      truncate: true,
    });
    return { url, status, headers, text: decodeText(bytes), outcome: 'http-error' };
  }
  if (expect === 'json' && !isJsonContentType(contentType)) {
    discardBody(response.body);
    throw new DiscoveryError(
      ErrorCodes.UNEXPECTED_CONTENT_TYPE,
      `Response from ${url} has content type ${JSON.stringify(contentType ?? '(none)')}, expected application/json`,
      { url, expected: 'application/json or application/*+json', actual: contentType ?? null },
    );
  }
  const isEventStream = expect === 'any' && mediaTypeOf(contentType) === 'text/event-stream';
  const { bytes } = await readCappedBody(response.body, headers['content-length'], {
    maxBytes: options.maxBodyBytes,
    url,
    // An event stream may never end: the first event is all a probe needs.
    stopAfter: isEventStream ? hasCompleteEvent : undefined,
  });
  const text = decodeText(bytes);
  if (expect === 'any') return { url, status, headers, text, outcome: 'ok' };
  return { url, status, headers, text, json: parseJsonBody(text, url), outcome: 'ok' };
}

function requestHeaders(init: HttpRequestInit, options: ResolvedHttpClientOptions): Record<string, string> {
  const headers: Record<string, string> = {
    accept: (init.expect ?? 'json') === 'json' ? 'application/json' : 'application/json, text/event-stream',
    'user-agent': options.userAgent,
  };
  if (options.mcpProtocolVersion !== null) headers['mcp-protocol-version'] = options.mcpProtocolVersion;
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
  if (init.body !== undefined && headers['content-type'] === undefined)
    headers['content-type'] = 'application/json';
  return headers;
}

/** Response headers with lower-cased names; repeated headers joined with `, ` (RFC 9110 §5.3). */
function normalizeHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function redirectTarget(location: string, base: URL): URL {
  let target: URL;
  try {
    target = new URL(location, base);
  } catch (cause) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_URL,
      `${base.href} redirected to ${JSON.stringify(location)}, which is not a valid URL`,
      { url: base.href, expected: 'a valid Location URL', actual: location, cause },
    );
  }
  return assertRequestUrl(target);
}

function checkedRanges(
  ranges: HttpRequestInit['allowAddressRanges'],
  url: string,
): NonNullable<typeof ranges> {
  const unknown = (ranges ?? []).filter((range) => !ADDRESS_RANGES.includes(range));
  if (unknown.length > 0) {
    throw new DiscoveryError(
      ErrorCodes.INVALID_CONFIG,
      `Unknown address ranges in allowAddressRanges: ${unknown.join(', ')}`,
      {
        url,
        expected: ADDRESS_RANGES,
        actual: unknown,
      },
    );
  }
  return ranges ?? [];
}

function abortError(reason: unknown, url: string): DiscoveryError {
  // A DiscoveryError reason (the runner's DEADLINE_EXCEEDED, say) keeps its code and message; it is
  // copied rather than rethrown because one reason is shared by many requests and each copy carries its own attempt.
  if (isDiscoveryError(reason)) {
    return new DiscoveryError(reason.code, reason.message, {
      url: reason.url ?? url,
      expected: reason.expected,
      actual: reason.actual,
      cause: reason,
    });
  }
  return abortedError(`Request to ${url}`, { url, reason, detail: 'by the caller' });
}

function requestTimeout(url: string, ms: number, cause: unknown): DiscoveryError {
  return new DiscoveryError(
    ErrorCodes.TIMEOUT,
    `Request to ${url} (redirects and body included) timed out after ${ms} ms`,
    {
      url,
      expected: `a complete response within ${ms} ms`,
      actual: 'timeout',
      cause,
    },
  );
}
