import { ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { discover } from '../src/index.js';
import { startRawServer } from './raw-server.js';

interface FanOutWorld {
  readonly resource: string;
  readonly issuer: (index: number) => string;
  readonly requests: string[];
  /** The most requests the server had open at once. */
  readonly maxOpen: () => number;
}

/**
 * A PRM listing `count` authorization servers (`<origin>/as/<i>`, all path issuers on this origin);
 * only the issuer numbered `usable` (if any) serves RFC 8414 metadata. Every answer waits 10 ms so
 * concurrent requests overlap.
 */
async function fanOutWorld(count: number, usable?: number): Promise<FanOutWorld> {
  const requests: string[] = [];
  let open = 0;
  let maxOpen = 0;
  let origin = '';
  const issuer = (i: number): string => `${origin}/as/${i}`;
  origin = await startRawServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    res.on('close', () => {
      open -= 1;
    });
    setTimeout(() => {
      if (req.method === 'POST') {
        res.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${origin}/prm"` }).end();
      } else if (req.url === '/prm') {
        const document = {
          resource: `${origin}/mcp`,
          authorization_servers: Array.from({ length: count }, (_, i) => issuer(i + 1)),
        };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
      } else if (usable !== undefined && req.url === `/.well-known/oauth-authorization-server/as/${usable}`) {
        const metadata = {
          issuer: issuer(usable),
          authorization_endpoint: `${issuer(usable)}/authorize`,
          token_endpoint: `${issuer(usable)}/token`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
        };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(metadata));
      } else {
        res.writeHead(404).end();
      }
    }, 10);
  });
  return { resource: `${origin}/mcp`, issuer, requests, maxOpen: () => maxOpen };
}

describe('bounded fan-out', () => {
  it.each([false, true])(
    'a PRM listing 300 authorization servers: only the first 5 are considered (speculate: %s)',
    async (speculate) => {
      const w = await fanOutWorld(300);
      const error = await discover(w.resource, { speculate }).catch((e: unknown) => e);
      expect(isDiscoveryError(error, ErrorCodes.DISCOVERY_FAILED)).toBe(true);
      // Probe, PRM, then 3 metadata URLs (OAuth insertion, OIDC insertion, OIDC appending) × 5 issuers;
      // speculation also starts the two well-known PRM URLs and the origin's two AS metadata URLs
      // before the challenge is known.
      expect(w.requests).toHaveLength(2 + 3 * 5 + (speculate ? 4 : 0));
      expect(w.requests.some((r) => r.includes('/as/6'))).toBe(false);
      expect(w.maxOpen()).toBeLessThanOrEqual(speculate ? 6 : 1);
      if (!isDiscoveryError(error)) return;
      const rfc9728 = error.trace?.steps.find((s) => s.strategy === 'rfc9728');
      expect(rfc9728?.notes.join('\n')).toContain(
        'lists 300 authorization_servers; only the first 5 are considered (maxAuthorizationServers)',
      );
    },
  );

  it('the first usable authorization server in order wins', async () => {
    const w = await fanOutWorld(300, 3);
    const result = await discover(w.resource);
    expect(result.authorizationServer.issuer).toBe(w.issuer(3));
    // Sequential: OAuth insertion for 1, 2, 3 (found) — OIDC URLs are never needed.
    expect(w.requests).toEqual([
      'POST /mcp',
      'GET /prm',
      'GET /.well-known/oauth-authorization-server/as/1',
      'GET /.well-known/oauth-authorization-server/as/2',
      'GET /.well-known/oauth-authorization-server/as/3',
    ]);
  });

  it('maxAuthorizationServers and maxRequestsInFlight are options', async () => {
    const w = await fanOutWorld(300);
    await discover(w.resource, {
      speculate: true,
      maxAuthorizationServers: 20,
      maxRequestsInFlight: 2,
    }).catch(() => undefined);
    expect(w.requests).toHaveLength(2 + 3 * 20 + 4);
    expect(w.maxOpen()).toBeLessThanOrEqual(2);
  });

  it.each([0, 1.5, -1])('maxAuthorizationServers %s is INVALID_CONFIG', async (max) => {
    const error = await discover('http://127.0.0.1:9/mcp', { maxAuthorizationServers: max }).catch(
      (e: unknown) => e,
    );
    expect(isDiscoveryError(error, ErrorCodes.INVALID_CONFIG)).toBe(true);
  });

  it.each([0, 2.5])('maxRequestsInFlight %s is INVALID_CONFIG', async (max) => {
    const error = await discover('http://127.0.0.1:9/mcp', { maxRequestsInFlight: max }).catch(
      (e: unknown) => e,
    );
    expect(isDiscoveryError(error, ErrorCodes.INVALID_CONFIG)).toBe(true);
  });
});
