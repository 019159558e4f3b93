import { DiscoveryError, ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import {
  type AddressPolicy,
  type AddressRange,
  assertAddressLiteralAllowed,
  createAgentPool,
} from '@oauth-discovery/core/http';
import { isSecureUrl } from '@oauth-discovery/core/metadata';
import { safeText } from '@oauth-discovery/core/trace';
import { request } from 'undici';
import { FlowErrorCodes } from './error-codes.js';

/** Options of {@link followAuthorizationRedirects}. */
export interface HeadlessOptions {
  /** Most redirects followed before the redirect URI must be reached. Default 10. */
  readonly maxRedirects?: number;
  /** Per-hop timeout for connecting, headers and body, in ms. Default 10000. */
  readonly timeoutMs?: number;
  /**
   * The whole headless flow's limit, in ms, however the server paces its answers (a page trickling a
   * byte every 2 s never trips a per-hop idle timeout). Default {@link DEFAULT_HEADLESS_DEADLINE_MS}.
   */
  readonly deadlineMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly userAgent?: string;
  /** Let hops reach every address, private and loopback included. **Weakens the SSRF guard.** */
  readonly allowPrivateNetwork?: boolean | undefined;
  /** Address ranges hops may reach on top of public unicast, e.g. `['loopback']` for a local server. */
  readonly allowAddressRanges?: readonly AddressRange[] | undefined;
}

/** Default of {@link HeadlessOptions.deadlineMs}: one minute for every hop together. */
export const DEFAULT_HEADLESS_DEADLINE_MS = 60_000;

/** The URL policy of core's HTTP client (https, or http for loopback hosts; no credentials), per hop. */
function checkHop(url: URL): void {
  if (!isSecureUrl(url)) {
    throw new DiscoveryError(
      ErrorCodes.INSECURE_URL,
      `Headless authorization refused to follow ${url.origin}${url.pathname}: only https: (http: for loopback hosts) without credentials`,
      { url: `${url.origin}${url.pathname}`, expected: 'https: or loopback http:', actual: url.protocol },
    );
  }
}

/** The first `limit` characters of a body, without reading (or buffering) the rest. */
async function bodyStart(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  limit: number,
): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    text += chunk.toString('utf8');
    if (text.length >= limit) break;
  }
  body.destroy();
  return text.slice(0, limit);
}

function sameEndpoint(a: URL, b: URL): boolean {
  return a.origin === b.origin && a.pathname === b.pathname;
}

/** Cookies by host, just enough for an authorization server's interaction session across redirects. */
function createCookieJar() {
  const jar = new Map<string, Map<string, string>>();
  return {
    header(url: URL): string | undefined {
      const cookies = jar.get(url.host);
      return cookies === undefined || cookies.size === 0
        ? undefined
        : [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    },
    store(url: URL, setCookie: string | string[] | undefined): void {
      for (const line of setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]) {
        const pair = line.split(';', 1)[0] ?? '';
        const eq = pair.indexOf('=');
        if (eq <= 0) continue;
        const cookies = jar.get(url.host) ?? new Map<string, string>();
        const value = pair.slice(eq + 1).trim();
        // An expired/emptied cookie is how servers delete one.
        if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line))
          cookies.delete(pair.slice(0, eq).trim());
        else cookies.set(pair.slice(0, eq).trim(), value);
        jar.set(url.host, cookies);
      }
    },
  };
}

/**
 * Headless mode: performs the front channel of an authorization without a browser, for servers that
 * approve without a person (test and demo servers, CI). It GETs the authorization URL and follows
 * redirects one by one — each hop checked against the URL policy and the SSRF address guard (as
 * discovery's requests are: public addresses only unless allowed), cookies kept per host — until a
 * redirect points at `redirectUri`, and returns that redirect's query parameters (`code`, `state`,
 * `iss`, or `error`) without fetching the redirect URI. A page that wants a person fails with
 * `AUTHORIZATION_FAILED`; a flow that has not reached the redirect URI within `deadlineMs` (every hop,
 * headers and bodies together) fails with `TIMEOUT`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export async function followAuthorizationRedirects(
  authorizationUrl: string | URL,
  redirectUri: string,
  options: HeadlessOptions = {},
): Promise<URLSearchParams> {
  const maxRedirects = options.maxRedirects ?? 10;
  const deadlineMs = Math.max(1, options.deadlineMs ?? DEFAULT_HEADLESS_DEADLINE_MS);
  const timeoutMs = Math.min(options.timeoutMs ?? 10_000, deadlineMs);
  const deadline = AbortSignal.timeout(deadlineMs);
  const signal = options.signal === undefined ? deadline : AbortSignal.any([deadline, options.signal]);
  const overDeadline = (cause: unknown): DiscoveryError =>
    new DiscoveryError(
      ErrorCodes.TIMEOUT,
      `Headless authorization did not reach ${redirectUri} within ${deadlineMs} ms (last at ${url.origin}${url.pathname})`,
      {
        url: `${url.origin}${url.pathname}`,
        expected: `the redirect URI within ${deadlineMs} ms`,
        actual: visited,
        cause,
      },
    );
  const target = new URL(redirectUri);
  const jar = createCookieJar();
  const visited: string[] = [];
  const policy: AddressPolicy = {
    allowPrivateNetwork: options.allowPrivateNetwork,
    allowRanges: options.allowAddressRanges,
  };
  // Every hop is a URL the authorization server chose: the same connect-time SSRF guard as discovery
  // (IP literals before connecting, every resolved address of a name, plain http: to loopback only).
  const agents = createAgentPool({ connectTimeoutMs: timeoutMs, lookup: undefined });
  let url = new URL(authorizationUrl);
  try {
    for (let hop = 0; ; hop += 1) {
      checkHop(url);
      assertAddressLiteralAllowed(url, policy);
      visited.push(`${url.origin}${url.pathname}`);
      const cookie = jar.header(url);
      const response = await request(url, {
        dispatcher: agents.get({ ...policy, loopbackOnly: url.protocol === 'http:' }),
        method: 'GET',
        headers: {
          accept: 'text/html,application/json;q=0.9,*/*;q=0.8',
          'user-agent': options.userAgent ?? 'oauth-discovery (headless)',
          cookie,
        },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal,
      }).catch((cause: unknown) => {
        if (deadline.aborted) throw overDeadline(cause);
        if (isDiscoveryError(cause)) {
          throw new DiscoveryError(cause.code, `${url.origin}${url.pathname}: ${cause.message}`, {
            url: `${url.origin}${url.pathname}`,
            expected: cause.expected,
            actual: cause.actual,
            cause,
          });
        }
        throw new DiscoveryError(
          ErrorCodes.NETWORK_ERROR,
          `Headless authorization could not reach ${url.origin}${url.pathname}: ${cause instanceof Error ? cause.message : String(cause)}`,
          { url: `${url.origin}${url.pathname}`, cause },
        );
      });
      jar.store(url, response.headers['set-cookie']);
      const location = response.headers.location;
      const status = response.statusCode;
      if (status >= 300 && status < 400 && typeof location === 'string') {
        await response.body.dump();
        const next = new URL(location, url);
        if (sameEndpoint(next, target)) return next.searchParams;
        if (hop + 1 > maxRedirects) {
          throw new DiscoveryError(
            ErrorCodes.TOO_MANY_REDIRECTS,
            `Headless authorization followed ${maxRedirects} redirects without reaching ${redirectUri}: ${visited.join(' → ')}`,
            {
              url: String(authorizationUrl),
              expected: `the redirect URI within ${maxRedirects} redirects`,
              actual: visited,
            },
          );
        }
        url = next;
        continue;
      }
      const body = await bodyStart(response.body, 300).catch((cause: unknown) => {
        throw deadline.aborted ? overDeadline(cause) : cause;
      });
      const wantsPerson = status >= 200 && status < 300;
      throw new DiscoveryError(
        FlowErrorCodes.AUTHORIZATION_FAILED,
        wantsPerson
          ? `Headless authorization stopped at ${url.origin}${url.pathname}: it answered HTTP ${status} with a page instead of redirecting to ${redirectUri}; this server needs a person to approve — run without headless mode`
          : `Headless authorization failed at ${url.origin}${url.pathname}: HTTP ${status} ${safeText(body.replace(/\s+/g, ' ').trim())}`,
        {
          url: `${url.origin}${url.pathname}`,
          expected: `a redirect to ${redirectUri}`,
          actual: { status, body },
        },
      );
    }
  } finally {
    await agents.close();
  }
}
