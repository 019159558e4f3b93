import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { startTricklingServer, startWorld, type World } from '@oauth-discovery/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowErrorCodes } from './error-codes.js';
import { followAuthorizationRedirects } from './headless.js';

const REDIRECT = 'http://127.0.0.1:8976/callback';
// The test servers are on loopback, which the SSRF guard blocks unless allowed.
const LOCAL = { allowAddressRanges: ['loopback'] } as const;
let world: World;

beforeAll(async () => {
  world = await startWorld({
    origins: {
      as: {
        routes: {
          // authorize → login (sets a cookie) → consent (requires it) → redirect_uri
          '/authorize': {
            handler: (req, res) => {
              const url = new URL(req.url ?? '/', 'http://x');
              res.writeHead(302, { location: `/login?state=${url.searchParams.get('state')}` }).end();
            },
          },
          '/login': {
            handler: (req, res) => {
              const url = new URL(req.url ?? '/', 'http://x');
              res
                .writeHead(303, {
                  location: `/consent?state=${url.searchParams.get('state')}`,
                  'set-cookie': 'sid=s3cr3t; Path=/; HttpOnly',
                })
                .end();
            },
          },
          '/consent': {
            handler: (req, res) => {
              const url = new URL(req.url ?? '/', 'http://x');
              if (req.headers.cookie !== 'sid=s3cr3t') {
                res.writeHead(403).end('no session');
                return;
              }
              res
                .writeHead(302, {
                  location: `${REDIRECT}?code=c-1&state=${url.searchParams.get('state')}&iss=x`,
                })
                .end();
            },
          },
          '/person': { body: '<html><form>Approve?</form></html>', contentType: 'text/html' },
          '/broken': { status: 500, body: 'boom' },
          '/loop': { redirect: '/loop' },
          '/insecure': { redirect: 'http://example.com/next' },
        },
      },
    },
  });
});
afterAll(async () => {
  await world.close();
});

describe('followAuthorizationRedirects', () => {
  it('follows redirects with cookies until the redirect URI and returns its parameters, without fetching it', async () => {
    const params = await followAuthorizationRedirects(
      world.url('as', '/authorize?state=abc'),
      REDIRECT,
      LOCAL,
    );
    expect(Object.fromEntries(params)).toEqual({ code: 'c-1', state: 'abc', iss: 'x' });
    expect(world.requestsTo('as').map((r) => r.path)).toEqual(['/authorize', '/login', '/consent']);
  });

  it('fails with AUTHORIZATION_FAILED when a page wants a person', async () => {
    const error = await followAuthorizationRedirects(world.url('as', '/person'), REDIRECT, LOCAL).catch(
      (e: unknown) => e,
    );
    expect(isDiscoveryError(error, FlowErrorCodes.AUTHORIZATION_FAILED)).toBe(true);
    expect((error as Error).message).toContain('needs a person');
  });

  it('fails with AUTHORIZATION_FAILED on an error status', async () => {
    const error = await followAuthorizationRedirects(world.url('as', '/broken'), REDIRECT, LOCAL).catch(
      (e: unknown) => e,
    );
    expect(isDiscoveryError(error, FlowErrorCodes.AUTHORIZATION_FAILED)).toBe(true);
    expect((error as Error).message).toContain('HTTP 500');
  });

  it('stops after the redirect limit with TOO_MANY_REDIRECTS', async () => {
    const error = await followAuthorizationRedirects(world.url('as', '/loop'), REDIRECT, {
      ...LOCAL,
      maxRedirects: 3,
    }).catch((e: unknown) => e);
    expect(isDiscoveryError(error, ErrorCodes.TOO_MANY_REDIRECTS)).toBe(true);
  });

  it('refuses to follow a plain http hop to a non-loopback host with INSECURE_URL (nothing is sent there)', async () => {
    const error = await followAuthorizationRedirects(world.url('as', '/insecure'), REDIRECT, LOCAL).catch(
      (e: unknown) => e,
    );
    expect(isDiscoveryError(error, ErrorCodes.INSECURE_URL)).toBe(true);
  });

  // Loopback stands in for every blocked range: a test never sends a packet outside 127.0.0.0/8.
  it('blocks loopback unless allowed: an IP literal before connecting, a host name at DNS resolution', async () => {
    const before = world.requestsTo('as').length;
    const literal = await followAuthorizationRedirects(world.url('as', '/person'), REDIRECT).catch(
      (e: unknown) => e,
    );
    expect(isDiscoveryError(literal, ErrorCodes.BLOCKED_ADDRESS)).toBe(true);
    const port = new URL(world.url('as', '/')).port;
    const named = await followAuthorizationRedirects(`http://localhost:${port}/person`, REDIRECT).catch(
      (e: unknown) => e,
    );
    expect(isDiscoveryError(named, ErrorCodes.BLOCKED_ADDRESS)).toBe(true);
    expect((named as Error).message).toContain('localhost');
    expect(world.requestsTo('as').length).toBe(before);
    // allowPrivateNetwork lifts the guard.
    const page = await followAuthorizationRedirects(world.url('as', '/person'), REDIRECT, {
      allowPrivateNetwork: true,
    }).catch((e: unknown) => e);
    expect(isDiscoveryError(page, FlowErrorCodes.AUTHORIZATION_FAILED)).toBe(true);
  });
});

// Finding 8 of the security review: an authorization page trickling a byte every 2 s kept a headless
// login busy for about ten minutes (every per-hop timeout is an idle timeout).
describe('followAuthorizationRedirects: an overall deadline', () => {
  it('stops a page that trickles a byte at a time with TIMEOUT', async () => {
    const slow = await startTricklingServer({ intervalMs: 100 });
    try {
      const error = await followAuthorizationRedirects(slow.url, REDIRECT, {
        ...LOCAL,
        deadlineMs: 400,
      }).catch((e: unknown) => e);
      expect(isDiscoveryError(error, ErrorCodes.TIMEOUT)).toBe(true);
      expect((error as Error).message).toContain('within 400 ms');
    } finally {
      await slow.close();
    }
  });
});
