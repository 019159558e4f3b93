import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DiscoveryError, ErrorCodes, isDiscoveryError } from '@oauth-discovery/core';
import { describe, expect, it } from 'vitest';
import { createRecommendedPipeline, discover, type OneShotDiscoverOptions } from '../src/index.js';
import { startRawServer } from './raw-server.js';

interface Everywhere {
  readonly origin: string;
  readonly requests: string[];
}

async function everywhere(listener: RequestListener): Promise<Everywhere> {
  const requests: string[] = [];
  const origin = await startRawServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    listener(req, res);
  });
  return { origin, requests };
}

/** A port that was just bound and closed: nothing listens there. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function failure(resource: string, options: OneShotDiscoverOptions = {}): Promise<DiscoveryError> {
  const outcome = await discover(resource, options).then(
    (result) => result,
    (error: unknown) => error,
  );
  if (!isDiscoveryError(outcome)) {
    throw new Error(`expected a DiscoveryError, got ${JSON.stringify(outcome).slice(0, 300)}`);
  }
  return outcome;
}

const modes: Array<[string, boolean]> = [
  ['sequential', false],
  ['speculative', true],
];

describe.each(modes)('honest failure (%s)', (_mode, speculate) => {
  it('a dead port is NETWORK_ERROR, not guessed endpoints', async () => {
    const error = await failure(`http://127.0.0.1:${await deadPort()}/mcp`, { speculate });
    expect(error.code).toBe(ErrorCodes.NETWORK_ERROR);
    expect(error.message).toMatch(/^Request to \S+ failed: connection refused/);
    expect(error.message).toContain('Tried:');
    const legacy = error.trace?.steps.find((step) => step.strategy === 'legacy-defaults');
    expect(legacy).toMatchObject({ outcome: 'failed', errorCode: ErrorCodes.NETWORK_ERROR });
  });

  it('503 everywhere is HTTP_ERROR', async () => {
    const w = await everywhere((_req, res) => res.writeHead(503).end('busy'));
    const error = await failure(`${w.origin}/mcp`, { speculate });
    expect(error.code).toBe(ErrorCodes.HTTP_ERROR);
    expect(error.message).toMatch(/^GET \S+ answered HTTP 503/);
  });

  it('408 and 429 are HTTP_ERROR too', async () => {
    for (const status of [408, 429]) {
      const w = await everywhere((req, res) =>
        res.writeHead(req.method === 'POST' ? 401 : status, { 'www-authenticate': 'Bearer' }).end(),
      );
      const error = await failure(`${w.origin}/mcp`, { speculate });
      expect(error.code).toBe(ErrorCodes.HTTP_ERROR);
      expect(error.message).toContain(`HTTP ${status}`);
    }
  });

  it('an HTML page with 200 everywhere is UNEXPECTED_CONTENT_TYPE', async () => {
    const w = await everywhere((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'),
    );
    const error = await failure(`${w.origin}/mcp`, { speculate });
    expect(error.code).toBe(ErrorCodes.UNEXPECTED_CONTENT_TYPE);
  });

  it('a server that accepts and never answers is TIMEOUT (per-request timeout)', async () => {
    const w = await everywhere(() => {});
    const error = await failure(`${w.origin}/mcp`, { speculate, http: { headersTimeoutMs: 100 } });
    expect(error.code).toBe(ErrorCodes.TIMEOUT);
  });

  it('a server that never answers within a short deadline is DEADLINE_EXCEEDED', async () => {
    const w = await everywhere(() => {});
    const error = await failure(`${w.origin}/mcp`, { speculate, deadlineMs: 150 });
    expect(error.code).toBe(ErrorCodes.DEADLINE_EXCEEDED);
  });

  const broken: Array<[string, (res: import('node:http').ServerResponse) => void, string]> = [
    [
      'a schema-invalid document',
      (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"resource": 5}'),
      ErrorCodes.INVALID_METADATA,
    ],
    [
      'broken JSON',
      (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"resource": '),
      ErrorCodes.INVALID_JSON,
    ],
    ['a 404', (res) => res.writeHead(404).end(), ErrorCodes.RESOURCE_METADATA_NOT_FOUND],
  ];
  it.each(broken)(
    'a 401 naming a resource_metadata URL that answers %s fails with %s',
    async (_n, serve, code) => {
      const w = await everywhere((req, res) => {
        if (req.url === '/prm') return serve(res);
        if (req.method === 'POST') {
          return res
            .writeHead(401, {
              'www-authenticate': `Bearer resource_metadata="http://${req.headers.host}/prm"`,
            })
            .end();
        }
        res.writeHead(404).end();
      });
      const error = await failure(`${w.origin}/mcp`, { speculate });
      expect(error.code).toBe(code);
      expect(error.message).toContain('the resource_metadata URL named by the challenge could not be used');
    },
  );

  it('guesses only after a definitive "not here", and the guess claims no PKCE method', async () => {
    const w = await everywhere((req, res) => {
      if (req.method === 'POST') return res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      res.writeHead(404).end();
    });
    const pipeline = createRecommendedPipeline({ speculate });
    try {
      const result = await pipeline.discover(`${w.origin}/mcp`);
      expect(result.guessed).toBe(true);
      expect(result.authorizationServer.metadata.code_challenge_methods_supported).toBeUndefined();
      expect(result.pkce).toEqual({ s256Advertised: false, s256Usable: true });
      // Never cached as found: the next discovery asks again.
      const before = w.requests.length;
      const again = await pipeline.discover(`${w.origin}/mcp`);
      expect(again.fromCache).toBe(false);
      expect(w.requests.length).toBeGreaterThan(before);
    } finally {
      await pipeline.close();
    }
  });
});
