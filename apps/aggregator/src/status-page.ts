import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '@oauth-discovery/store';
import { cleanText, escapeXml as escapeMarkup, renderTraceSvg } from '@oauth-discovery/trace-svg';
import type { GatewayUser } from './gateway-auth.js';
import type { UpstreamWaterfall } from './status-waterfall.js';

/** Paths of the status page and its two forms. */
export const PAGE_PATHS = {
  page: '/',
  login: '/ui/login',
  logout: '/ui/logout',
  signIn: '/ui/signin',
  signInCallback: '/ui/callback',
} as const;

/** No script at all, nothing loaded from anywhere; forms post only to this origin. */
export const PAGE_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#1f2937;background:#fafafa}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #e5e7eb;padding:6px 10px;text-align:left;vertical-align:top}
.failed{color:#c62828}.connected{color:#2e7d32}.auth_required{color:#b45309}form{margin:0}
details svg{max-width:100%;height:auto;border:1px solid #e5e7eb;background:#fff}`;

/** Server text as HTML text: control characters removed, markup escaped. */
const html = (text: string): string => escapeMarkup(cleanText(text));

/** One upstream on the page: its status, trace and tool names. */
export interface PageUpstream extends UpstreamWaterfall {
  readonly tools: readonly string[];
}

/**
 * CSRF tokens of the page's forms: an HMAC of the user id under a secret shared by the fleet (created
 * once in the store, kept there encrypted like everything else), so a form rendered by one instance
 * posts to any other. Forms also pass the Origin check of every route.
 */
export function createCsrf(store: Store) {
  let secret: Promise<Buffer> | undefined;
  const load = async (): Promise<Buffer> => {
    const key = 'ui/csrf-secret';
    await store.set(key, randomBytes(32).toString('base64'), { ifVersion: null });
    const stored = await store.get(key);
    if (stored === undefined) throw new Error('the CSRF secret vanished from the store');
    return Buffer.from(stored.value, 'base64');
  };
  const tokenFor = async (user: GatewayUser): Promise<string> => {
    secret ??= load().catch((error: unknown) => {
      secret = undefined;
      throw error;
    });
    return createHmac('sha256', await secret)
      .update(`csrf\n${user.id}`)
      .digest('base64url');
  };
  return {
    tokenFor,
    /** Whether `token` is the user's CSRF token (constant-time). */
    async check(user: GatewayUser, token: string | null): Promise<boolean> {
      if (token === null) return false;
      const expected = Buffer.from(await tokenFor(user));
      const given = Buffer.from(token);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

function form(action: string, label: string, upstream: string, csrf: string): string {
  return `<form method="post" action="${action}"><input type="hidden" name="upstream" value="${html(upstream)}"><input type="hidden" name="csrf" value="${html(csrf)}"><button type="submit">${html(label)}</button></form>`;
}

function row(upstream: PageUpstream, csrf: string): string {
  const { status, trace } = upstream;
  const action =
    status.auth !== 'oauth'
      ? ''
      : status.state === 'auth_required' || status.state === 'failed'
        ? form(PAGE_PATHS.login, `Log in to ${status.name}`, status.name, csrf)
        : status.state === 'connected' || status.state === 'connecting'
          ? form(PAGE_PATHS.logout, `Log out of ${status.name}`, status.name, csrf)
          : '';
  const error = status.error ? `<br>${html(status.error.code)}: ${html(status.error.message)}` : '';
  const picture =
    trace === undefined
      ? ''
      : `<details><summary>Discovery trace</summary>${renderTraceSvg(trace, { title: `${status.name}: discovery of ${trace.resource}` })}</details>`;
  return `<tr data-upstream="${html(status.name)}"><td><strong>${html(status.name)}</strong><br>${html(status.url)}</td><td class="${html(status.state)}" data-state>${html(status.state)}${error}</td><td>${html(status.issuer ?? '')}</td><td>${upstream.tools.map((name) => html(name)).join('<br>')}</td><td>${action}${picture}</td></tr>`;
}

/**
 * The status page of the signed-in user (or of the single user of a loopback aggregator): each
 * upstream, its state and error, its authorization server, its tools, its discovery trace, and a
 * log-in or log-out button — plain forms with a CSRF token, no script.
 */
export function statusPage(user: GatewayUser, upstreams: readonly PageUpstream[], csrf: string): string {
  const who =
    user.id === 'local'
      ? 'Single user (auth.type none, loopback)'
      : `Signed in as ${html(user.subject)} at ${html(user.issuer)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Aggregator status</title><style>${STYLE}</style></head>
<body><h1>Aggregator status</h1><p id="user">${who}</p>
<table><thead><tr><th>Upstream</th><th>State</th><th>Authorization server</th><th>Tools</th><th>Action</th></tr></thead>
<tbody>${upstreams.map((upstream) => row(upstream, csrf)).join('\n')}</tbody></table>
</body></html>
`;
}
