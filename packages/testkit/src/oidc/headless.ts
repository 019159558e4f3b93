import { request } from 'node:http';
import { DiscoveryError, ErrorCodes } from '@oauth-discovery/core';

/** Header that marks the testkit's own internal requests so the front handler does not intercept them. */
export const INTERNAL_HEADER = 'x-testkit-internal';

/** The final answer of an internally followed chain. */
export interface HeadlessOutcome {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

interface Hop {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

function get(url: URL, cookies: Map<string, string>): Promise<Hop> {
  return new Promise((done, fail) => {
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const req = request(
      url,
      { method: 'GET', headers: { [INTERNAL_HEADER]: '1', ...(cookie ? { cookie } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end();
  });
}

function remember(cookies: Map<string, string>, setCookie: string | string[] | undefined): void {
  for (const line of [setCookie ?? []].flat()) {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
    if (expired) cookies.delete(name);
    else cookies.set(name, pair.slice(eq + 1).trim());
  }
}

/**
 * Plays the user agent for an auto-approving provider: follows same-origin redirects from `start`
 * (authorization endpoint → interaction → resume → …) carrying cookies, and returns the first answer
 * that is not a same-origin redirect — normally the redirect to the client's `redirect_uri` with the
 * code. Clients then need neither cookies nor a browser.
 */
export async function followInternally(start: URL, maxHops = 12): Promise<HeadlessOutcome> {
  const cookies = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < maxHops; hop += 1) {
    const answer = await get(url, cookies);
    remember(cookies, answer.headers['set-cookie']);
    const location = answer.headers.location;
    if (answer.status < 300 || answer.status >= 400 || typeof location !== 'string') return answer;
    const next = new URL(location, url);
    if (next.origin !== start.origin) return answer;
    url = next;
  }
  throw new DiscoveryError(
    ErrorCodes.TOO_MANY_REDIRECTS,
    `testkit headless approval: more than ${maxHops} same-origin redirects starting at ${start.href}`,
    { url: start.href, expected: `at most ${maxHops} redirects` },
  );
}
